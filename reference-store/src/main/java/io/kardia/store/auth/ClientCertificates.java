package io.kardia.store.auth;

import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/**
 * The user a verified client certificate names, as kube-apiserver reads it: the subject's common
 * name (CN) is the user name, each organization (O) a group. The TLS layer has already checked the
 * chain against the client CA; a certificate without a CN names nobody.
 */
public final class ClientCertificates {
    private ClientCertificates() {
    }

    public static Optional<UserInfo> user(X509Certificate certificate) {
        String cn = null;
        List<String> groups = new ArrayList<>();
        try {
            for (Rdn rdn : new LdapName(certificate.getSubjectX500Principal().getName()).getRdns()) {
                var attrs = rdn.toAttributes().getAll();
                while (attrs.hasMoreElements()) {
                    var attr = attrs.nextElement();
                    String value = String.valueOf(attr.get());
                    if (attr.getID().equalsIgnoreCase("CN") && cn == null) {
                        cn = value;
                    } else if (attr.getID().equalsIgnoreCase("O")) {
                        groups.add(value);
                    }
                }
            }
        } catch (javax.naming.NamingException e) {
            return Optional.empty();
        }
        if (cn == null || cn.isEmpty()) {
            return Optional.empty();
        }
        // LDAP order is reversed (last RDN first); kube lists groups in certificate order
        java.util.Collections.reverse(groups);
        return Optional.of(UserInfo.of(cn, "", groups));
    }
}
