/** Export of network specs and their weights to DL4J computation graphs: a deployment target and an independent reference. */
package org.mobilenas.core.dl4j;
