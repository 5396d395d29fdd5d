package io.kardia.runtime;

import io.kardia.runtime.leader.LeaderCallbacks;
import io.kardia.runtime.leader.LeadershipLossPolicy;
import io.kardia.runtime.leader.LeadershipLostException;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a {@link Manager} does as its lease comes and goes: dispatch opens while it leads and
 * stops at the first failed renewal; controllers start when it first leads and resync when it
 * leads again; on losing the lease in-flight reconciles are cancelled before the lease can expire
 * for anyone else, then the manager campaigns again or shuts down, as its loss policy says.
 */
final class ManagerLeadership implements LeaderCallbacks {
    private static final Logger log = LoggerFactory.getLogger(ManagerLeadership.class);

    private final Manager m;

    ManagerLeadership(Manager manager) {
        this.m = manager;
    }

    @Override
    public void onStartedLeading() {
        m.gate.open();
        if (m.controllersStarted) {
            // Leading again (CAMPAIGN_AGAIN): whatever changed while others led is reconciled.
            m.controllers.forEach(Controller::resync);
            log.info("leading again: controllers resume with a full resync");
            return;
        }
        // Not on the elector's thread: starting waits for the caches, and renewals must go on.
        Thread.ofVirtual().name("manager-start-controllers").start(() -> {
            try {
                m.startControllers();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                log.error("controllers failed to start; the manager stops", e);
                m.failure = e;
                Thread.ofVirtual().start(m::close);
            }
        });
    }

    @Override
    public void onRenewalFailing() {
        m.gate.close();
        log.warn("renewing lease {}/{} failed: no new reconciles until it is renewed",
                m.elector.config().namespace(), m.elector.config().name());
    }

    @Override
    public void onRenewed() {
        if (m.elector.isLeader() && m.isRunning() && !m.gate.isOpen()) {
            m.gate.open();
            log.info("lease {}/{} renewed: reconciles resume", m.elector.config().namespace(), m.elector.config().name());
        }
    }

    @Override
    public void onStoppedLeading() {
        m.gate.close();
        if (!m.isRunning()) {
            return; // shutting down: close() drains the controllers itself
        }
        String lease = m.elector.config().namespace() + "/" + m.elector.config().name();
        // Stop acting before the lease can expire for others: the renew deadline left us
        // (leaseDuration - renewDeadline) of margin, so interrupt whatever runs after half of it.
        Duration margin = m.elector.config().leaseDuration().minus(m.elector.config().renewDeadline()).dividedBy(2);
        Duration grace = margin.compareTo(m.gracefulShutdownTimeout) < 0 ? margin : m.gracefulShutdownTimeout;
        if (m.lossPolicy == LeadershipLossPolicy.CAMPAIGN_AGAIN) {
            for (Controller c : m.controllers) {
                try {
                    c.cancelInFlight(grace);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            log.error("leadership of lease {} was lost; controllers paused, campaigning again", lease);
            return;
        }
        m.failure = new LeadershipLostException("leadership of lease " + lease + " was lost");
        m.stopControllers(grace);
        log.error("{}; controllers stopped, the manager shuts down", m.failure.getMessage());
        Thread.ofVirtual().start(m::close);
    }

    @Override
    public void onNewLeader(String identity) {
        log.info("lease {}/{} is held by {}", m.elector.config().namespace(), m.elector.config().name(), identity);
    }
}
