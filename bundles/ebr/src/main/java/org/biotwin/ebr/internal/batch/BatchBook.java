package org.biotwin.ebr.internal.batch;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;
import org.biotwin.api.batch.BatchContext;
import org.biotwin.api.batch.BatchState;
import org.biotwin.api.batch.KeyValue;
import org.biotwin.api.batch.MaterialLot;
import org.biotwin.api.batch.PhaseRecord;
import org.jspecify.annotations.Nullable;

/**
 * The batch state machine and the per-unit time index, rebuilt from batch events.
 * <p>
 * <b>Time index.</b> Each unit has a sorted map from instant to the context that holds from that instant until the
 * next key (half-open intervals); a terminal event maps to "no batch". {@link #contextAt} is one
 * {@code floorEntry}: O(log n) in the number of events of the unit, lock-free ({@link ConcurrentSkipListMap}), so
 * every sample of every unit can be contextualised by its own timestamp however late it arrives.
 * <p>
 * Thread-safety: {@link #check} and {@link #apply} must be called by one thread at a time (the owner serialises
 * commands); the queries may run concurrently with them and see each event entirely or not at all per unit.
 */
public final class BatchBook {

    static final Pattern IDENT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:/-]{0,127}");
    static final Pattern PHASE = Pattern.compile("[A-Z][A-Z0-9_]{0,63}");

    /** Marks "no open batch" in a unit's time index. */
    private static final Object NONE = new Object();

    private final Set<String> allowedPhases;
    private final Map<String, Batch> batches = new ConcurrentHashMap<>();
    private final Map<String, NavigableMap<Instant, Object>> timelines = new ConcurrentHashMap<>();
    private final Map<String, String> openByUnit = new ConcurrentHashMap<>();
    private final Map<String, List<String>> batchesByUnit = new ConcurrentHashMap<>();

    /** @param allowedPhases phase names accepted by {@code enterPhase}; empty accepts any UPPER_SNAKE name */
    public BatchBook(Set<String> allowedPhases) {
        for (String p : allowedPhases) {
            if (!PHASE.matcher(p).matches()) {
                throw new IllegalArgumentException("Phase name '" + p + "' is not UPPER_SNAKE_CASE");
            }
        }
        this.allowedPhases = Set.copyOf(allowedPhases);
    }

    private static final class Batch {
        final String id;
        final String unit;
        final Instant created;
        final List<PhaseRecord> phases = new CopyOnWriteArrayList<>();
        final List<KeyValue> values = new CopyOnWriteArrayList<>();
        volatile BatchContext context;
        volatile Instant lastTime;
        volatile @Nullable Instant ended;

        Batch(String id, String unit, Instant created, BatchContext context) {
            this.id = id;
            this.unit = unit;
            this.created = created;
            this.context = context;
            this.lastTime = created;
        }
    }

    // ------------------------------------------------------------------------------------------------- commands

    /**
     * Checks that an event is valid now.
     *
     * @throws IllegalArgumentException malformed arguments or an unknown batch
     * @throws IllegalStateException    the transition is not allowed in the batch's state
     */
    public void check(BatchEvent e) {
        String cmd = e.type().command();
        requireIdent(e.batchId(), "batchId", cmd);
        if (e.type() == BatchEvent.Type.CREATE) {
            checkCreate(e);
            return;
        }
        Batch b = batches.get(e.batchId());
        if (b == null) {
            throw new IllegalArgumentException("Unknown batch " + e.batchId() + "; refused command '" + cmd + "'");
        }
        BatchState s = b.context.state();
        if (e.type() != BatchEvent.Type.VALUE && e.time().isBefore(b.lastTime)) {
            throw new IllegalStateException("Batch " + b.id + " (state " + s + "): refused command '" + cmd
                    + "' at " + e.time() + ", before the batch's last event at " + b.lastTime
                    + " (events of a batch must not go back in time)");
        }
        switch (e.type()) {
            case START -> requireState(b, cmd, BatchState.CREATED);
            case PHASE -> {
                requireState(b, cmd, BatchState.RUNNING);
                String phase = e.fields().phase();
                if (phase == null || !PHASE.matcher(phase).matches()) {
                    throw new IllegalArgumentException("Batch " + b.id + ": phase '" + phase
                            + "' is not an UPPER_SNAKE_CASE ISA-88 phase name; refused command 'phase'");
                }
                if (!allowedPhases.isEmpty() && !allowedPhases.contains(phase)) {
                    throw new IllegalArgumentException("Batch " + b.id + ": phase '" + phase
                            + "' is not one of the configured phases " + new java.util.TreeSet<>(allowedPhases)
                            + "; refused command 'phase'");
                }
                if (phase.equals(b.context.phase())) {
                    throw new IllegalStateException("Batch " + b.id + " (state " + s + ") is already in phase "
                            + phase + "; refused command 'phase'");
                }
            }
            case HOLD -> {
                requireState(b, cmd, BatchState.RUNNING);
                requireReason(e, b, cmd);
            }
            case RESTART -> requireState(b, cmd, BatchState.HELD);
            case COMPLETE -> requireState(b, cmd, BatchState.RUNNING, BatchState.HELD);
            case ABORT -> {
                requireState(b, cmd, BatchState.CREATED, BatchState.RUNNING, BatchState.HELD);
                requireReason(e, b, cmd);
            }
            case MATERIAL -> {
                requireState(b, cmd, BatchState.CREATED, BatchState.RUNNING, BatchState.HELD);
                if (e.fields().materialLots().size() != 1) {
                    throw new IllegalArgumentException("Batch " + b.id + ": command 'material' needs one lot");
                }
            }
            case VALUE -> {
                if (e.fields().keyValue() == null) {
                    throw new IllegalArgumentException("Batch " + b.id + ": command 'value' needs a key value");
                }
            }
            default -> throw new IllegalArgumentException("Unsupported command " + cmd);
        }
    }

    private void checkCreate(BatchEvent e) {
        BatchEvent.Fields f = e.fields();
        Batch existing = batches.get(e.batchId());
        if (existing != null) {
            throw new IllegalStateException("Batch " + e.batchId() + " already exists (state "
                    + existing.context.state() + " on unit " + existing.unit + "); refused command 'create'");
        }
        requireIdent(f.unitId(), "unitId", "create");
        requireText(f.product(), "product", e.batchId());
        requireText(f.recipeId(), "recipeId", e.batchId());
        requireText(f.recipeVersion(), "recipeVersion", e.batchId());
        String open = openByUnit.get(f.unitId());
        if (open != null) {
            throw new IllegalStateException("Unit " + f.unitId() + " already has open batch " + open + " (state "
                    + batches.get(open).context.state() + "); refused command 'create' of batch " + e.batchId());
        }
        NavigableMap<Instant, Object> tl = timelines.get(f.unitId());
        if (tl != null && !tl.isEmpty() && e.time().isBefore(tl.lastKey())) {
            throw new IllegalStateException("Batch " + e.batchId() + ": refused command 'create' at " + e.time()
                    + " on unit " + f.unitId() + ", before the unit's last batch event at " + tl.lastKey());
        }
    }

    private static void requireState(Batch b, String cmd, BatchState... allowed) {
        BatchState s = b.context.state();
        for (BatchState a : allowed) {
            if (a == s) {
                return;
            }
        }
        throw new IllegalStateException("Batch " + b.id + " is " + s + "; refused command '" + cmd
                + "' (allowed in " + java.util.Arrays.toString(allowed) + ")");
    }

    private static void requireReason(BatchEvent e, Batch b, String cmd) {
        String r = e.fields().reason();
        if (r == null || r.isBlank()) {
            throw new IllegalArgumentException("Batch " + b.id + ": command '" + cmd + "' needs a reason");
        }
    }

    private static void requireIdent(@Nullable String v, String what, String cmd) {
        if (v == null || !IDENT.matcher(v).matches()) {
            throw new IllegalArgumentException(what + " '" + v + "' is not a valid identifier (letters, digits and"
                    + " ._:/- up to 128 characters); refused command '" + cmd + "'");
        }
    }

    private static void requireText(@Nullable String v, String what, String batchId) {
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException("Batch " + batchId + ": " + what
                    + " must not be blank; refused command 'create'");
        }
    }

    /** Applies an event that passed {@link #check}; returns the batch context after it. */
    public BatchContext apply(BatchEvent e) {
        BatchEvent.Fields f = e.fields();
        if (e.type() == BatchEvent.Type.CREATE) {
            BatchContext c = new BatchContext(e.batchId(), f.unitId(), f.product(), f.recipeId(), f.recipeVersion(),
                    BatchState.CREATED, null, null, f.recipeParameters(), f.materialLots());
            Batch b = new Batch(e.batchId(), f.unitId(), e.time(), c);
            batches.put(b.id, b);
            openByUnit.put(b.unit, b.id);
            batchesByUnit.computeIfAbsent(b.unit, k -> new CopyOnWriteArrayList<>()).add(b.id);
            timeline(b.unit).put(e.time(), c);
            return c;
        }
        Batch b = batches.get(e.batchId());
        BatchContext c = b.context;
        Instant t = e.time();
        BatchContext next = switch (e.type()) {
            case START -> with(c, BatchState.RUNNING, c.phase(), t, c.materialLots());
            case PHASE -> {
                closePhase(b, t);
                b.phases.add(new PhaseRecord(f.phase(), t, null));
                yield with(c, c.state(), f.phase(), c.batchStart(), c.materialLots());
            }
            case HOLD -> with(c, BatchState.HELD, c.phase(), c.batchStart(), c.materialLots());
            case RESTART -> with(c, BatchState.RUNNING, c.phase(), c.batchStart(), c.materialLots());
            case COMPLETE -> with(c, BatchState.COMPLETED, c.phase(), c.batchStart(), c.materialLots());
            case ABORT -> with(c, BatchState.ABORTED, c.phase(), c.batchStart(), c.materialLots());
            case MATERIAL -> {
                List<org.biotwin.api.batch.MaterialLot> lots = new ArrayList<>(c.materialLots());
                lots.addAll(f.materialLots());
                yield with(c, c.state(), c.phase(), c.batchStart(), lots);
            }
            case VALUE -> {
                b.values.add(f.keyValue());
                yield c;
            }
            default -> throw new IllegalArgumentException("Unsupported command " + e.type());
        };
        if (e.type() == BatchEvent.Type.VALUE) {
            return c;
        }
        b.lastTime = t;
        b.context = next;
        NavigableMap<Instant, Object> tl = timeline(b.unit);
        if (next.state().isTerminal()) {
            closePhase(b, t);
            b.ended = t;
            openByUnit.remove(b.unit, b.id);
            tl.put(t, NONE);
        } else {
            tl.put(t, next);
        }
        return next;
    }

    private static void closePhase(Batch b, Instant t) {
        int n = b.phases.size();
        if (n > 0 && b.phases.get(n - 1).end() == null) {
            PhaseRecord last = b.phases.get(n - 1);
            b.phases.set(n - 1, new PhaseRecord(last.phase(), last.start(), t));
        }
    }

    private static BatchContext with(BatchContext c, BatchState s, @Nullable String phase, @Nullable Instant start,
            List<MaterialLot> lots) {
        return new BatchContext(c.batchId(), c.unitId(), c.product(), c.recipeId(), c.recipeVersion(), s, phase,
                start, c.recipeParameters(), lots);
    }

    private NavigableMap<Instant, Object> timeline(String unit) {
        return timelines.computeIfAbsent(unit, k -> new ConcurrentSkipListMap<>());
    }

    // ------------------------------------------------------------------------------------------------- queries

    /** The context of a unit at an instant (half-open intervals, by the sample's own timestamp). */
    public Optional<BatchContext> contextAt(String unitId, Instant time) {
        NavigableMap<Instant, Object> tl = timelines.get(unitId);
        if (tl == null) {
            return Optional.empty();
        }
        Map.Entry<Instant, Object> e = tl.floorEntry(time);
        return e == null || e.getValue() == NONE ? Optional.empty() : Optional.of((BatchContext) e.getValue());
    }

    public Optional<BatchContext> current(String unitId) {
        String id = openByUnit.get(unitId);
        return id == null ? Optional.empty() : batch(id);
    }

    public Optional<BatchContext> batch(String batchId) {
        Batch b = batches.get(batchId);
        return b == null ? Optional.empty() : Optional.of(b.context);
    }

    public List<BatchContext> batches(String unitId) {
        List<String> ids = batchesByUnit.getOrDefault(unitId, List.of());
        List<BatchContext> out = new ArrayList<>(ids.size());
        for (String id : ids) {
            out.add(batches.get(id).context);
        }
        return out;
    }

    /** Every batch id, sorted. */
    public List<String> allBatchIds() {
        return batches.keySet().stream().sorted().toList();
    }

    public List<PhaseRecord> phases(String batchId) {
        Batch b = batches.get(batchId);
        return b == null ? List.of() : List.copyOf(b.phases);
    }

    public List<KeyValue> keyValues(String batchId) {
        Batch b = batches.get(batchId);
        return b == null ? List.of() : List.copyOf(b.values);
    }

    /** When the batch was created, and ended ({@code null} while open). */
    public Optional<Instant[]> times(String batchId) {
        Batch b = batches.get(batchId);
        return b == null ? Optional.empty() : Optional.of(new Instant[] {b.created, b.ended});
    }
}
