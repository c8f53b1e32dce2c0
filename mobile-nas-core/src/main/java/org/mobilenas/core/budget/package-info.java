/** What every method shares about resource budgets: the infeasible-budget exception. */
package org.mobilenas.core.budget;
