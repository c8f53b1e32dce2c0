/** NetAdapt: filter pruning of trained networks (network surgery) under directly measured resource budgets. */
package org.mobilenas.core.adapt;
