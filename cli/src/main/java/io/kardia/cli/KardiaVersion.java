package io.kardia.cli;

import io.kardia.store.http.Discovery;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/** {@code --version}: Kardia's version and the Kubernetes API version its store serves. */
final class KardiaVersion implements IVersionProvider {

    static String kardiaVersion() {
        try (InputStream in = KardiaVersion.class.getResourceAsStream("/kardia-cli.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String kubernetesVersion() {
        return "v" + Discovery.KUBE_MAJOR + "." + Discovery.KUBE_MINOR;
    }

    @Override
    public String[] getVersion() {
        return new String[] {
            "kardia " + kardiaVersion(),
            "Kubernetes API " + kubernetesVersion() + " (served by kardia up and kardia store)",
            "Java " + Runtime.version() + " (" + System.getProperty("java.home") + ")"
        };
    }
}
