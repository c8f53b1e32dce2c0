/** Proxy tasks, resumable multi-seed experiment runs and their reports (JSON, Markdown, plots). */
package org.mobilenas.core.experiment;
