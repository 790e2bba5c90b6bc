/**
 * Cluster mode: replicas of the service share jobs, datasets and model versions through PostgreSQL
 * ({@code mlp.cluster.enabled=true}). Nothing here runs in the default single-process mode.
 */
package org.mlpservice.cluster;
