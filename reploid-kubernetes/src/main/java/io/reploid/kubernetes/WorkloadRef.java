package io.reploid.kubernetes;

import static java.util.Objects.requireNonNull;

import io.reploid.kubernetes.KubernetesProvisioner.Kind;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Names one workload: a namespace, a kind and a name, written {@code NAMESPACE/KIND/NAME}. Immutable.
 */
record WorkloadRef(String namespace, Kind kind, String name) {
    static final String FORMS = "NAMESPACE/StatefulSet/NAME or NAMESPACE/Deployment/NAME";

    private static final String PREFIX = "kubernetes:";
    /** RFC 1123 label: what namespaces, StatefulSet names and pod host names must be. */
    private static final Pattern LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
    /** RFC 1123 subdomain: what a Deployment's name must be. */
    private static final Pattern SUBDOMAIN = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

    WorkloadRef {
        requireNonNull(namespace, "namespace");
        requireNonNull(kind, "kind");
        requireNonNull(name, "name");
        if (!LABEL.matcher(namespace).matches()) {
            throw new IllegalArgumentException("namespace: '" + namespace
                    + "' (expected: lower-case letters, digits and '-', at most 63, starting and ending alphanumeric)");
        }
        if (kind == Kind.STATEFUL_SET && !LABEL.matcher(name).matches()) {
            throw new IllegalArgumentException("name: '" + name + "' (expected: a StatefulSet name, lower-case "
                    + "letters, digits and '-', at most 63, starting and ending alphanumeric)");
        }
        if (kind == Kind.DEPLOYMENT && (name.length() > 253 || !SUBDOMAIN.matcher(name).matches())) {
            throw new IllegalArgumentException("name: '" + name + "' (expected: a Deployment name, lower-case "
                    + "letters, digits, '-' and '.', at most 253, starting and ending alphanumeric)");
        }
    }

    /**
     * Parses {@code NAMESPACE/KIND/NAME}, optionally prefixed by {@code kubernetes:}. The kind is
     * case-insensitive and may be spelled as kubectl accepts it: {@code StatefulSet}, {@code statefulsets},
     * {@code sts}, {@code Deployment}, {@code deployments}, {@code deploy}.
     *
     * @throws IllegalArgumentException naming the text, what was wrong and the accepted forms
     */
    static WorkloadRef parse(String spec) {
        requireNonNull(spec, "spec");
        String s = spec.strip();
        if (s.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
            s = s.substring(PREFIX.length());
        }
        String[] parts = s.split("/", -1);
        if (parts.length != 3 || parts[0].isEmpty() || parts[1].isEmpty() || parts[2].isEmpty()) {
            throw new IllegalArgumentException("workload: '" + spec + "' (expected: " + FORMS + ")");
        }
        Kind kind = switch (parts[1].toLowerCase(Locale.ROOT)) {
            case "statefulset", "statefulsets", "sts" -> Kind.STATEFUL_SET;
            case "deployment", "deployments", "deploy" -> Kind.DEPLOYMENT;
            default -> throw new IllegalArgumentException("workload: '" + spec + "': unsupported kind '" + parts[1]
                    + "' (expected: StatefulSet or Deployment)");
        };
        try {
            return new WorkloadRef(parts[0], kind, parts[2]);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("workload: '" + spec + "': " + e.getMessage(), e);
        }
    }

    /** The canonical form, such as {@code games/StatefulSet/game}; {@link #parse} reads it back. */
    @Override
    public String toString() {
        return namespace + "/" + kind + "/" + name;
    }
}
