package ${package};

import io.kardia.runtime.micronaut.KardiaWebhook;
import io.kardia.runtime.webhook.AdmissionDeniedException;
import io.kardia.runtime.webhook.Validator;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The validating admission webhook of {@link ${kind}} (generated with {@code -Dwebhook=true}): the
 * API server calls it on every create and update, and a refusal here refuses the write. A
 * Micronaut bean: {@link OperatorMain} serves every {@code @KardiaWebhook} bean over HTTPS on
 * {@code --webhook-port} (9443), and {@code src/main/deploy/webhook.yaml} declares it to the API
 * server (its Service, cert-manager Certificate and ValidatingWebhookConfiguration;
 * {@code DeployManifestsTest} fails when the two disagree).
 */
@KardiaWebhook(forKind = ${kind}.class)
public class ${kind}Validator implements Validator<${kind}> {
    /** What a ConfigMap accepts as a key. */
    private static final Pattern KEY = Pattern.compile("[-._a-zA-Z0-9]{1,253}");

    @Override
    public List<String> validateCreate(${kind} object) {
        for (String key : object.spec() == null ? List.<String>of() : object.spec().data().keySet()) {
            if (!KEY.matcher(key).matches()) {
                throw new AdmissionDeniedException(422, "Invalid", "spec.data key '" + key
                        + "' is not a valid ConfigMap key (letters, digits, '-', '_' and '.')");
            }
        }
        return List.of();
    }

    @Override
    public List<String> validateUpdate(${kind} oldObject, ${kind} newObject) {
        return validateCreate(newObject);
    }
}
