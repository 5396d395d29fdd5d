package io.kardia.examples.staticsite;

import io.kardia.runtime.webhook.AdmissionDeniedException;
import io.kardia.runtime.webhook.Validator;
import java.util.ArrayList;
import java.util.List;

/**
 * The StaticSite validating webhook: what the CRD schema cannot say. File names are served from
 * one directory, so they may not contain {@code /} or be {@code .} or {@code ..}; an image
 * pinned to {@code :latest} is refused (the site would change under a restart); an image without
 * a tag is allowed with a warning. Registered with
 * {@code Webhooks.builder().validator(StaticSite.TYPE, new StaticSiteValidator())}.
 */
public final class StaticSiteValidator implements Validator<StaticSite> {
    @Override
    public List<String> validateCreate(StaticSite site) {
        List<String> problems = new ArrayList<>();
        if (site.spec().content() != null) {
            for (String file : site.spec().content().keySet()) {
                if (file.contains("/") || file.equals(".") || file.equals("..")) {
                    problems.add("spec.content: file name \"" + file + "\" must be a plain file name (no '/', not '.' or '..')");
                }
            }
        }
        String image = site.spec().effectiveImage();
        if (image.endsWith(":latest")) {
            problems.add("spec.image: \"" + image + "\" must name a fixed version, not :latest");
        }
        if (!problems.isEmpty()) {
            throw new AdmissionDeniedException(422, "Invalid", String.join("; ", problems));
        }
        String lastPart = image.substring(image.lastIndexOf('/') + 1);
        return lastPart.contains(":") || lastPart.contains("@") ? List.of()
                : List.of("spec.image: \"" + image + "\" has no tag; the site may change when its pods restart");
    }

    @Override
    public List<String> validateUpdate(StaticSite oldSite, StaticSite newSite) {
        return validateCreate(newSite);
    }
}
