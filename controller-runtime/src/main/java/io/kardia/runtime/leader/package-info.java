/**
 * Lease-based leader election ({@link io.kardia.runtime.leader.LeaderElector}) on
 * coordination.k8s.io/v1 Leases through the ordinary client; the manager uses it when given a
 * {@link io.kardia.runtime.leader.LeaderElectionConfig}.
 */
package io.kardia.runtime.leader;
