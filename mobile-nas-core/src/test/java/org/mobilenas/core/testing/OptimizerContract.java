package org.mobilenas.core.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import org.junit.jupiter.api.Test;
import org.mobilenas.core.train.Optimizer;

/**
 * What every {@link Optimizer} promises, for implementations to extend: state of the declared shape, a zero
 * gradient from fresh state moves nothing, steps descend a quadratic, the same inputs give the same values, and the
 * rule survives serialization unchanged. Extend it with {@link #create()} and a {@link #learningRate()} at which
 * the rule converges on {@code 0.5·|w − t|²}.
 */
public abstract class OptimizerContract {

    /** The rule under test. */
    protected abstract Optimizer create();

    /** A learning rate at which 300 steps reduce the distance to the target at least tenfold. */
    protected double learningRate() {
        return 0.05;
    }

    private static final float[] TARGET = {1f, -2f, 0.5f, 3f, 0f};

    private float[] descend(Optimizer o, int steps) {
        float[] w = new float[TARGET.length];
        float[][] state = o.newState(w.length);
        float[] g = new float[w.length];
        for (int s = 1; s <= steps; s++) {
            for (int i = 0; i < w.length; i++) {
                g[i] = w[i] - TARGET[i];
            }
            o.update(w, g, state, s, learningRate());
        }
        return w;
    }

    private static double distance(float[] w) {
        double d = 0;
        for (int i = 0; i < w.length; i++) {
            d += (w[i] - TARGET[i]) * (w[i] - TARGET[i]);
        }
        return Math.sqrt(d);
    }

    @Test
    void stateHasTheDeclaredShapeAndAZeroGradientMovesNothing() {
        Optimizer o = create();
        float[][] state = o.newState(7);
        assertThat(state).hasNumberOfRows(o.stateSlots());
        for (int slot = 0; slot < state.length; slot++) {
            assertThat(state[slot]).hasSize(7).containsOnly(o.initialState(slot));
        }
        float[] w = {0.3f, -1f, 2f, 0f, 5f, -0.25f, 1e-3f};
        float[] before = w.clone();
        o.update(w, new float[7], state, 1, learningRate());
        assertThat(w).containsExactly(before);
    }

    @Test
    void stepsDescendAQuadraticAndRepeatExactly() {
        float[] w = descend(create(), 300);
        assertThat(distance(w)).isLessThan(distance(new float[TARGET.length]) / 10);
        assertThat(descend(create(), 300)).containsExactly(w);
        for (float v : w) {
            assertThat(Float.isFinite(v)).isTrue();
        }
    }

    @Test
    void theRuleSurvivesSerialization() throws Exception {
        Optimizer o = create();
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(b)) {
            out.writeObject(o);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(b.toByteArray()))) {
            Optimizer back = (Optimizer) in.readObject();
            assertThat(back).isEqualTo(o);
            assertThat(descend(back, 50)).containsExactly(descend(o, 50));
        }
    }
}
