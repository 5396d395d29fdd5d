/**
 * Where an API server is and how to reach it: kubeconfig loading and merging
 * ({@link io.kardia.core.config.KubeConfig}), in-cluster configuration
 * ({@link io.kardia.core.config.InClusterConfig}), PEM keys and certificates, and credential
 * sources (static tokens, rotating token files, exec plugins), all resolved into a
 * {@link io.kardia.core.config.ClientConfig}. Nothing here prints a credential.
 */
package io.kardia.core.config;
