package io.kardia.controllers.history;

import io.kardia.controllers.workload.ControllerRefs;
import io.kardia.core.client.DeleteOptions;
import io.kardia.core.client.KubeApiException;
import io.kardia.core.client.ResourceClient;
import io.kardia.core.model.GenericObject;
import io.kardia.core.model.KubeObject;
import io.kardia.core.model.ObjectMeta;
import io.kardia.core.model.PodTemplateSpec;
import io.kardia.core.selector.Selector;
import io.kardia.informer.SharedInformer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ControllerRevision history of one kind of parent (StatefulSets, DaemonSets), as kube's
 * {@code history.realHistory} with the revision handling both controllers share: claiming the
 * revisions a parent's selector matches, finding or creating the revision of its current template
 * (bumping the collision count on a name taken by different data), and deleting the oldest revisions
 * nobody uses beyond {@code revisionHistoryLimit}.
 */
public final class RevisionHistory {
    private static final Logger log = LoggerFactory.getLogger(RevisionHistory.class);
    /** Attempts at a free name before giving up on a sync; each one bumps the collision count. */
    private static final int MAX_COLLISIONS = 20;

    private final ResourceClient<GenericObject> api;
    private final SharedInformer<GenericObject> revisions;

    public RevisionHistory(ResourceClient<GenericObject> api, SharedInformer<GenericObject> revisions) {
        this.api = api;
        this.revisions = revisions;
    }

    /**
     * The outcome of {@link #sync}: the revision of the parent's template (its {@code updateRevision}),
     * every revision the parent controls oldest first (the update revision included), and the
     * collision count to record in the parent's status.
     */
    public record Synced(GenericObject update, List<GenericObject> revisions, int collisionCount) {
    }

    /** The revisions {@code parent} controls, adopting orphans its selector matches; oldest first. */
    public List<GenericObject> owned(KubeObject parent, Selector selector, BooleanSupplier canAdopt) {
        List<GenericObject> candidates = revisions.lister().namespace(parent.metadata().namespace()).list();
        List<GenericObject> claimed = new ArrayList<>(ControllerRefs.claim(parent, selector, candidates, api, canAdopt));
        claimed.sort(ControllerRevisions.BY_REVISION);
        return claimed;
    }

    /**
     * Finds or creates the revision of {@code template} ({@code getStatefulSetRevisions} /
     * {@code constructHistory}): the latest revision if it already holds the template; an older equal
     * revision renumbered to the next revision (a rollback); otherwise a new revision.
     */
    public Synced sync(KubeObject parent, List<GenericObject> owned, PodTemplateSpec template, int collisionCount) {
        Map<String, String> labels = template.metadata() == null ? Map.of() : template.metadata().labels();
        Object data = ControllerRevisions.templatePatch(template);
        long next = ControllerRevisions.nextRevision(owned);
        GenericObject candidate = ControllerRevisions.newRevision(parent, labels, data, next, collisionCount);
        List<GenericObject> equal = ControllerRevisions.findEqual(owned, candidate);
        List<GenericObject> all = new ArrayList<>(owned);
        GenericObject update;
        int count = collisionCount;
        if (!equal.isEmpty() && !owned.isEmpty()
                && ControllerRevisions.equal(owned.get(owned.size() - 1), equal.get(equal.size() - 1))) {
            update = owned.get(owned.size() - 1);
        } else if (!equal.isEmpty()) {
            next = Math.max(next, liveNextRevision(parent));
            GenericObject old = equal.get(equal.size() - 1);
            update = api.update(old.with("revision", next));
            all.remove(old);
            all.add(update);
        } else {
            next = Math.max(next, liveNextRevision(parent));
            while (true) {
                GenericObject attempt = ControllerRevisions.newRevision(parent, labels, data, next, count);
                try {
                    update = api.create(attempt);
                    break;
                } catch (KubeApiException.AlreadyExistsException taken) {
                    GenericObject existing = api.get(attempt.metadata().namespace(), attempt.metadata().name());
                    if (ControllerRevisions.equal(existing, attempt)) {
                        update = existing;
                        break;
                    }
                    if (++count - collisionCount > MAX_COLLISIONS) {
                        throw new IllegalStateException("no free ControllerRevision name for " + parent.kind() + " "
                                + parent.metadata().namespace() + "/" + parent.metadata().name() + " after "
                                + MAX_COLLISIONS + " collisions");
                    }
                    log.info("ControllerRevision name {} is taken by other data; collision count now {}",
                            attempt.metadata().name(), count);
                }
            }
            all.add(update);
        }
        all.sort(ControllerRevisions.BY_REVISION);
        return new Synced(update, List.copyOf(all), count);
    }

    /**
     * One more than the highest revision number among {@code parent}'s revisions as the API has them
     * now. The cache may not have the revision this controller made a moment ago (the parent's next
     * edit can arrive first); numbering from it would give two revisions one number, and the history
     * limit would then keep an older one and delete a newer. Read only when a revision is made or
     * renumbered, which is rare.
     */
    private long liveNextRevision(KubeObject parent) {
        String uid = parent.metadata().uid();
        List<GenericObject> mine = api.list(parent.metadata().namespace()).items().stream()
                .filter(r -> r.metadata().controllerRef().map(ref -> ref.uid().equals(uid)).orElse(false))
                .toList();
        return ControllerRevisions.nextRevision(mine);
    }

    /**
     * {@code truncateHistory}: deletes the oldest revisions whose name is not in {@code live} (the
     * current and update revisions, and those pods still run) until at most {@code limit} remain.
     */
    public void truncate(List<GenericObject> ownedOldestFirst, Set<String> live, int limit) {
        List<GenericObject> dead = ownedOldestFirst.stream().filter(r -> !live.contains(r.metadata().name())).toList();
        for (int i = 0; i < dead.size() - Math.max(0, limit); i++) {
            ObjectMeta m = dead.get(i).metadata();
            try {
                api.delete(m.namespace(), m.name(), DeleteOptions.DEFAULT.withPreconditions(m.uid(), null));
            } catch (KubeApiException.NotFoundException | KubeApiException.ConflictException gone) {
                // already gone or replaced
            }
        }
    }
}
