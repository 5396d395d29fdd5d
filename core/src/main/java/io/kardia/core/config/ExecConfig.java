package io.kardia.core.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A kubeconfig {@code user.exec} credential plugin, as kubectl runs it.
 *
 * @param apiVersion         {@code client.authentication.k8s.io/v1} or {@code .../v1beta1}
 * @param command            the program (already resolved against the kubeconfig's directory
 *                           when it is a relative path with a separator)
 * @param args               its arguments
 * @param env                extra environment variables (values may be secret: never printed)
 * @param installHint        shown when the command cannot be started
 * @param provideClusterInfo pass the cluster (server, CA) in {@code KUBERNETES_EXEC_INFO}
 * @param clusterInfo        the cluster as ExecCredential's {@code spec.cluster}, or null
 * @param source             the kubeconfig file that defined the plugin, for error messages
 * @param userName           the kubeconfig user name, for error messages
 */
public record ExecConfig(String apiVersion, String command, List<String> args, Map<String, String> env,
                         String installHint, boolean provideClusterInfo, Map<String, Object> clusterInfo,
                         Path source, String userName) {
    public static final String V1 = "client.authentication.k8s.io/v1";
    public static final String V1BETA1 = "client.authentication.k8s.io/v1beta1";

    public ExecConfig {
        args = args == null ? List.of() : List.copyOf(args);
        env = env == null ? Map.of() : Map.copyOf(env);
    }

    @Override
    public String toString() {
        return "ExecConfig[apiVersion=" + apiVersion + ", command=" + command + ", args=" + args.size()
                + " args, env=" + env.keySet() + ", user=" + userName + ", source=" + source + "]";
    }
}
