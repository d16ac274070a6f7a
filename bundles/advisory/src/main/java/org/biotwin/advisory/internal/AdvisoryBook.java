package org.biotwin.advisory.internal;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.biotwin.api.advisory.Advisory;
import org.biotwin.api.advisory.AdvisoryStatus;
import org.jspecify.annotations.Nullable;

/**
 * The advisories of every unit, newest first, at most {@value #KEEP} per unit, kept in an {@link AdvisoryStore}
 * when one is given: loaded on construction, saved after every change. A failed save is logged and reported by
 * {@link #storeStatus()}; the advisory stays in memory and the next change saves it again (a decision is in the
 * audit trail whatever happens here). Thread-safe: one lock guards the lists and orders the saves.
 */
final class AdvisoryBook {

    static final int KEEP = 50;
    private static final Logger LOG = System.getLogger(AdvisoryBook.class.getName());

    private final @Nullable AdvisoryStore store;
    private final Map<String, Deque<Advisory>> byUnit = new LinkedHashMap<>();
    private final List<String> loadProblems;
    private String saveProblem = "";

    /** A book without persistence. */
    AdvisoryBook() {
        this.store = null;
        this.loadProblems = List.of();
    }

    /**
     * A book kept in {@code store}, loaded from it now.
     *
     * @throws IOException if the store's directory cannot be read or a damaged file cannot be moved aside
     */
    AdvisoryBook(AdvisoryStore store) throws IOException {
        this.store = store;
        AdvisoryStore.Loaded loaded = store.load();
        for (Advisory a : loaded.advisories()) {
            byUnit.computeIfAbsent(a.unitId(), u -> new ArrayDeque<>()).addLast(a);
        }
        this.loadProblems = loaded.problems();
        if (!loaded.problems().isEmpty()) {
            LOG.log(Level.ERROR, "Advisory store {0} was damaged; kept {1} advisories, the damaged file is at {2}: {3}",
                    store.file(), loaded.advisories().size(), loaded.movedAside().map(Object::toString).orElse("?"),
                    loaded.problems());
        } else {
            LOG.log(Level.INFO, "Advisory store {0}: {1} advisories loaded", store.file(), loaded.advisories().size());
        }
    }

    /** Adds a new open advisory first; the unit's older open advisories become SUPERSEDED. */
    synchronized void propose(Advisory a) {
        Deque<Advisory> list = byUnit.computeIfAbsent(a.unitId(), u -> new ArrayDeque<>());
        List<Advisory> kept = new ArrayList<>(list.size() + 1);
        kept.add(a);
        for (Advisory old : list) {
            kept.add(old.status() == AdvisoryStatus.OPEN ? old.with(AdvisoryStatus.SUPERSEDED, null) : old);
        }
        list.clear();
        list.addAll(kept.subList(0, Math.min(KEEP, kept.size())));
        save();
    }

    /**
     * Replaces an advisory that is still OPEN by {@code change} of it.
     *
     * @return the new advisory
     * @throws IllegalArgumentException for an unknown id
     * @throws IllegalStateException    if the advisory is no longer open
     */
    synchronized Advisory decide(String advisoryId, UnaryOperator<Advisory> change) {
        for (Deque<Advisory> list : byUnit.values()) {
            List<Advisory> copy = new ArrayList<>(list);
            for (int i = 0; i < copy.size(); i++) {
                Advisory a = copy.get(i);
                if (a.id().equals(advisoryId)) {
                    if (a.status() != AdvisoryStatus.OPEN) {
                        throw new IllegalStateException("Advisory " + advisoryId + " is " + a.status()
                                + ", not OPEN");
                    }
                    Advisory next = change.apply(a);
                    copy.set(i, next);
                    list.clear();
                    list.addAll(copy);
                    save();
                    return next;
                }
            }
        }
        throw new IllegalArgumentException("No advisory " + advisoryId);
    }

    synchronized List<Advisory> advisories(String unitId) {
        Deque<Advisory> list = byUnit.get(unitId);
        return list == null ? List.of() : List.copyOf(list);
    }

    synchronized Optional<Advisory> advisory(String advisoryId) {
        return byUnit.values().stream().flatMap(Deque::stream).filter(a -> a.id().equals(advisoryId)).findFirst();
    }

    /** Where the advisories are kept and what went wrong with the store, for people. */
    synchronized String storeStatus() {
        if (store == null) {
            return "Advisories are not persisted (no data area and no storeDirectory)";
        }
        StringBuilder sb = new StringBuilder("Advisory store ").append(store.file());
        if (!loadProblems.isEmpty()) {
            sb.append("\n  damaged at load, moved or copied aside: ").append(String.join("; ", loadProblems));
        }
        if (!saveProblem.isEmpty()) {
            sb.append("\n  last save failed: ").append(saveProblem);
        }
        return sb.toString();
    }

    synchronized List<String> loadProblems() {
        return loadProblems;
    }

    private void save() {
        if (store == null) {
            return;
        }
        List<Advisory> all = new ArrayList<>();
        byUnit.values().forEach(all::addAll);
        try {
            store.save(all);
            saveProblem = "";
        } catch (IOException | RuntimeException e) {
            saveProblem = e.toString();
            LOG.log(Level.ERROR, "Advisory store " + store.file() + ": save failed; advisories stay in memory", e);
        }
    }
}
