package io.kardia.core.config;

import static io.kardia.core.config.TestFiles.b64;
import static io.kardia.core.config.TestFiles.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import okhttp3.tls.HeldCertificate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KubeConfigTest {
    static final HeldCertificate CA = new HeldCertificate.Builder().certificateAuthority(0).commonName("test-ca").build();
    static final HeldCertificate CLIENT = new HeldCertificate.Builder().rsa2048().commonName("alice").signedBy(CA).build();

    @TempDir
    Path dir;

    static String config(String currentContext, String clusters, String users, String contexts) {
        return "apiVersion: v1\nkind: Config\n"
                + (currentContext == null ? "" : "current-context: " + currentContext + "\n")
                + "clusters:\n" + clusters + "users:\n" + users + "contexts:\n" + contexts;
    }

    static String cluster(String name, String... fields) {
        return "- name: " + name + "\n  cluster:\n" + lines(fields);
    }

    static String user(String name, String... fields) {
        return "- name: " + name + "\n  user:\n" + (fields.length == 0 ? "    {}\n" : lines(fields));
    }

    static String context(String name, String cluster, String user, String namespace) {
        return "- name: " + name + "\n  context:\n    cluster: " + cluster + "\n"
                + (user == null ? "" : "    user: " + user + "\n")
                + (namespace == null ? "" : "    namespace: " + namespace + "\n");
    }

    static String lines(String... fields) {
        StringBuilder sb = new StringBuilder();
        for (String f : fields) {
            sb.append("    ").append(f).append('\n');
        }
        return sb.toString();
    }

    @Test
    void resolvesTheCurrentContext() {
        Path file = write(dir.resolve("config"), config("dev",
                cluster("c1", "server: https://10.1.2.3:6443", "certificate-authority-data: " + b64(CA.certificatePem())),
                user("alice", "token: abc",
                        "client-certificate-data: " + b64(CLIENT.certificatePem()),
                        "client-key-data: " + b64(CLIENT.privateKeyPkcs1Pem())),
                context("dev", "c1", "alice", "team-a")));

        ClientConfig c = KubeConfig.load(List.of(file)).toClientConfig();

        assertThat(c.server().toString()).isEqualTo("https://10.1.2.3:6443");
        assertThat(c.namespace()).isEqualTo("team-a");
        assertThat(c.trustedCertificates()).extracting(x -> x.getSubjectX500Principal().getName()).containsExactly("CN=test-ca");
        assertThat(c.insecureSkipTlsVerify()).isFalse();
        Credentials creds = c.credentials().current();
        assertThat(creds.bearerToken()).isEqualTo("abc");
        assertThat(creds.clientCertificate().chain().getFirst().getSubjectX500Principal().getName()).isEqualTo("CN=alice");
        assertThat(creds.clientCertificate().key().getEncoded()).isEqualTo(CLIENT.keyPair().getPrivate().getEncoded());
    }

    @Test
    void mergesKubeconfigFilesAsKubectlDoes() {
        Path first = write(dir.resolve("a/config"), config(null,
                cluster("shared", "server: https://first:6443"),
                user("u1", "token: first-token"),
                context("ctx-a", "shared", "u1", null)));
        Path second = write(dir.resolve("b/config"), config("ctx-b",
                cluster("shared", "server: https://second:6443") + cluster("only-second", "server: https://other:443"),
                user("u1", "token: second-token") + user("u2", "token: u2-token"),
                context("ctx-a", "only-second", "u2", null) + context("ctx-b", "shared", "u2", "ns-b")));
        Path third = write(dir.resolve("c/config"), config("ctx-a", "", "", ""));
        String kubeconfig = String.join(File.pathSeparator, first.toString(), dir.resolve("missing").toString(),
                second.toString(), third.toString());

        KubeConfig merged = KubeConfig.load(Map.of("KUBECONFIG", kubeconfig), dir);

        assertThat(merged.files()).containsExactly(first, second, third); // the missing one is skipped
        assertThat(merged.currentContext()).isEqualTo("ctx-b"); // first file that sets it
        ClientConfig b = merged.toClientConfig();
        assertThat(b.server().getHost()).isEqualTo("first"); // cluster "shared" from the first file
        assertThat(b.namespace()).isEqualTo("ns-b");
        assertThat(b.credentials().current().bearerToken()).isEqualTo("u2-token");
        ClientConfig a = merged.toClientConfig("ctx-a"); // context from the first file, not the second
        assertThat(a.server().getHost()).isEqualTo("first");
        assertThat(a.credentials().current().bearerToken()).isEqualTo("first-token");
        assertThat(a.namespace()).isEqualTo("default");
        assertThat(merged.contextNames()).containsExactlyInAnyOrder("ctx-a", "ctx-b");
    }

    @Test
    void defaultsToHomeKubeConfig() {
        write(dir.resolve(".kube/config"), config("x", cluster("c", "server: http://127.0.0.1:8080"), "",
                context("x", "c", null, null)));
        ClientConfig c = KubeConfig.load(Map.of(), dir).toClientConfig();
        assertThat(c.server().getPort()).isEqualTo(8080);
        assertThat(c.credentials().current()).isEqualTo(Credentials.NONE);
    }

    @Test
    void relativePathsResolveAgainstTheDefiningFilesDirectory() {
        write(dir.resolve("other/pki/ca.crt"), CA.certificatePem());
        write(dir.resolve("other/pki/client.crt"), CLIENT.certificatePem());
        write(dir.resolve("other/pki/client.key"), CLIENT.privateKeyPkcs8Pem());
        write(dir.resolve("other/token"), "file-token\n");
        Path defining = write(dir.resolve("other/config"), config(null,
                cluster("c", "server: https://h:1", "certificate-authority: pki/ca.crt"),
                user("u", "client-certificate: pki/client.crt", "client-key: pki/client.key", "tokenFile: token"), ""));
        Path main = write(dir.resolve("main/config"), config("ctx", "", "", context("ctx", "c", "u", null)));

        ClientConfig c = KubeConfig.load(List.of(main, defining)).toClientConfig();

        assertThat(c.trustedCertificates()).hasSize(1);
        Credentials creds = c.credentials().current();
        assertThat(creds.bearerToken()).isEqualTo("file-token");
        assertThat(creds.clientCertificate().chain().getFirst().getSubjectX500Principal().getName()).isEqualTo("CN=alice");
        assertThat(c.credentials()).isInstanceOf(TokenFileCredentials.class);
        assertThat(((TokenFileCredentials) c.credentials()).file()).isEqualTo(dir.resolve("other/token"));
    }

    @Test
    void insecureSkipTlsVerifyIsRead() {
        Path file = write(dir.resolve("config"), config("x",
                cluster("c", "server: https://h:1", "insecure-skip-tls-verify: true"), "", context("x", "c", null, null)));
        assertThat(KubeConfig.load(List.of(file)).toClientConfig().insecureSkipTlsVerify()).isTrue();
    }

    // --- bad input: each error names the file and the field ---

    KubeConfigException error(String yaml) {
        Path file = write(dir.resolve("bad-config"), yaml);
        try {
            KubeConfig.load(List.of(file)).toClientConfig();
        } catch (KubeConfigException e) {
            return e;
        }
        throw new AssertionError("expected a KubeConfigException for\n" + yaml);
    }

    String badFile() {
        return dir.resolve("bad-config").toString();
    }

    @Test
    void missingCurrentContext() {
        assertThat(error(config(null, cluster("c", "server: https://h:1"), "", context("x", "c", null, null))))
                .hasMessageContaining("no current-context").hasMessageContaining(badFile()).hasMessageContaining("[x]");
    }

    @Test
    void unknownContext() {
        assertThat(error(config("nope", cluster("c", "server: https://h:1"), "", context("x", "c", null, null))))
                .hasMessageContaining("context \"nope\" is not defined").hasMessageContaining(badFile());
    }

    @Test
    void unknownClusterAndUser() {
        assertThat(error(config("x", "", "", context("x", "ghost", null, null))))
                .hasMessageContaining("context \"x\" in " + badFile() + " names cluster \"ghost\", which is not defined");
        assertThat(error(config("x", cluster("c", "server: https://h:1"), "", context("x", "c", "bob", null))))
                .hasMessageContaining("names user \"bob\", which is not defined");
    }

    @Test
    void clusterWithoutOrWithABadServer() {
        assertThat(error(config("x", cluster("c", "insecure-skip-tls-verify: true"), "", context("x", "c", null, null))))
                .hasMessageContaining("cluster \"c\" in " + badFile() + " has no field \"server\"");
        assertThat(error(config("x", cluster("c", "server: ftp://h"), "", context("x", "c", null, null))))
                .hasMessageContaining("field \"server\" must be an http(s) URL");
    }

    @Test
    void unreadableCertificateAuthorityFile() {
        assertThat(error(config("x", cluster("c", "server: https://h:1", "certificate-authority: nowhere/ca.crt"), "",
                context("x", "c", null, null))))
                .hasMessageContaining("cluster \"c\" in " + badFile())
                .hasMessageContaining("field \"certificate-authority\" names " + dir.resolve("nowhere/ca.crt"))
                .hasMessageContaining("cannot be read");
    }

    @Test
    void badPemAndBadBase64() {
        assertThat(error(config("x", cluster("c", "server: https://h:1", "certificate-authority-data: " + b64("not a pem")),
                "", context("x", "c", null, null))))
                .hasMessageContaining("field \"certificate-authority-data\"").hasMessageContaining("BEGIN CERTIFICATE");
        assertThat(error(config("x", cluster("c", "server: https://h:1", "certificate-authority-data: '!!!'"),
                "", context("x", "c", null, null))))
                .hasMessageContaining("field \"certificate-authority-data\" is not valid base64");
        assertThat(error(config("x", cluster("c", "server: https://h:1"),
                user("u", "client-certificate-data: " + b64(CLIENT.certificatePem()), "client-key-data: " + b64("garbage")),
                context("x", "c", "u", null))))
                .hasMessageContaining("user \"u\" in " + badFile() + ": field \"client-key-data\": no PEM private key found");
        assertThat(error(config("x", cluster("c", "server: https://h:1"),
                user("u", "client-certificate-data: " + b64(CLIENT.certificatePem())), context("x", "c", "u", null))))
                .hasMessageContaining("client-certificate(-data) but no client-key(-data)");
    }

    @Test
    void invalidYamlAndWrongShapes() {
        assertThat(error("clusters: [unclosed\n")).hasMessageContaining("kubeconfig " + badFile() + " is not valid YAML");
        assertThat(error("clusters: 5\n")).hasMessageContaining("field \"clusters\" must be a list");
        assertThat(error("- just\n- a list\n")).hasMessageContaining("is not a YAML mapping");
        assertThat(error("clusters:\n- cluster: {server: https://h}\n")).hasMessageContaining("clusters[0] has no name");
        assertThat(error("kind: Pod\n")).hasMessageContaining("has kind \"Pod\"");
    }

    @Test
    void unsupportedOrInconsistentSettings() {
        assertThat(error(config("x", cluster("c", "server: https://h:1", "insecure-skip-tls-verify: true",
                "certificate-authority-data: " + b64(CA.certificatePem())), "", context("x", "c", null, null))))
                .hasMessageContaining("both insecure-skip-tls-verify and a certificate authority");
        assertThat(error(config("x", cluster("c", "server: https://h:1"), user("u", "auth-provider: {name: gcp}"),
                context("x", "c", "u", null))))
                .hasMessageContaining("auth-provider \"gcp\"").hasMessageContaining("exec");
        assertThat(error(config("x", cluster("c", "server: https://h:1"),
                user("u", "exec: {apiVersion: client.authentication.k8s.io/v1alpha1, command: x}"),
                context("x", "c", "u", null))))
                .hasMessageContaining("field \"exec.apiVersion\" must be client.authentication.k8s.io/v1");
        assertThat(error(config("x", cluster("c", "server: https://h:1"),
                user("u", "tokenFile: missing-token"), context("x", "c", "u", null))))
                .hasMessageContaining("field \"tokenFile\" names " + dir.resolve("missing-token"));
    }

    @Test
    void noKubeconfigAtAll() {
        assertThatThrownBy(() -> KubeConfig.load(List.of(dir.resolve("none"))))
                .isInstanceOf(KubeConfigException.class).hasMessageContaining("no kubeconfig found");
    }
}
