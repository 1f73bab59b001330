/**
 * An {@link io.reploid.scaling.InstanceProvisioner} for Kubernetes:
 * {@link io.reploid.kubernetes.KubernetesProvisioner} scales a StatefulSet or a Deployment through the
 * fabric8 client. Example manifests and the RBAC rules it needs are in {@code docs/kubernetes/}.
 */
package io.reploid.kubernetes;
