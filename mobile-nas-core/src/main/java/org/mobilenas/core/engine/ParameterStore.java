package org.mobilenas.core.engine;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Named, addressable parameters of a realized network. Names are the graph node name plus a suffix:
 * {@code stages[1].blocks[0].dw.conv.weight}, {@code ...bn.gamma}, {@code ...bn.beta},
 * {@code ...bn.running_mean}, {@code ...bn.running_var}, {@code classifier.fc.weight}, {@code ....bias}.
 */
public final class ParameterStore {
    private final Map<String, Param> params = new LinkedHashMap<>();

    /** Adds {@code p}; a second parameter of the same name is an error. */
    public void add(Param p) {
        if (params.putIfAbsent(p.name(), p) != null) {
            throw new IllegalArgumentException("duplicate parameter " + p.name());
        }
    }

    /** The parameter called {@code name}; an unknown name is an error naming it. */
    public Param get(String name) {
        Param p = params.get(name);
        if (p == null) {
            throw new IllegalArgumentException("no parameter named '" + name + "'");
        }
        return p;
    }

    /** Whether a parameter called {@code name} is held. */
    public boolean contains(String name) {
        return params.containsKey(name);
    }

    /** All parameters, in the order added. */
    public Collection<Param> all() {
        return Collections.unmodifiableCollection(params.values());
    }

    /** The parameters' names, in the order added. */
    public List<String> names() {
        return List.copyOf(params.keySet());
    }

    /** Parameters that receive gradients (everything but BN running statistics). */
    public List<Param> trainable() {
        List<Param> out = new ArrayList<>();
        for (Param p : params.values()) {
            if (p.trainable()) {
                out.add(p);
            }
        }
        return out;
    }

    /** Number of trainable scalars (the count torchvision reports). */
    public long trainableCount() {
        long n = 0;
        for (Param p : params.values()) {
            if (p.trainable()) {
                n += p.size();
            }
        }
        return n;
    }

    /** Sets every gradient to zero. */
    public void zeroGrad() {
        for (Param p : params.values()) {
            p.zeroGrad();
        }
    }

    /** A copy of a parameter as an ND4J array of the parameter's shape. */
    public INDArray toINDArray(String name) {
        Param p = get(name);
        long[] shape = new long[p.shape().length];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = p.dim(i);
        }
        return Nd4j.create(p.value().clone(), shape, 'c');
    }

    /** Writes all parameters in {@link ParameterIO}'s binary format (the stream is not closed). */
    public void write(java.io.OutputStream out) {
        ParameterIO.write(this, out);
    }

    /** Reads a store written by {@link #write(java.io.OutputStream)} (the stream is not closed). */
    public static ParameterStore read(java.io.InputStream in) {
        return ParameterIO.read(in);
    }

    /**
     * Loads values written by {@link #write(java.io.OutputStream)} into this store; names, order, roles and
     * shapes must match (the first mismatch is reported and nothing is changed).
     */
    public void load(java.io.InputStream in) {
        ParameterIO.load(in, this);
    }

    /** Sets a parameter from an ND4J array with the same number of elements (C order). */
    public void set(String name, INDArray values) {
        get(name).set(values.dup('c').data().asFloat());
    }

    /** A copy of every parameter's values by name, running statistics included. */
    public java.util.Map<String, float[]> snapshot() {
        java.util.Map<String, float[]> out = new java.util.LinkedHashMap<>();
        for (Param p : all()) {
            out.put(p.name(), p.value().clone());
        }
        return out;
    }

    /** Restores values captured by {@link #snapshot}; names and sizes must match ({@code source} names them). */
    public void restore(java.util.Map<String, float[]> values, String source) {
        if (!values.keySet().equals(new java.util.LinkedHashSet<>(names()))) {
            throw new IllegalStateException(source + " has " + values.size() + " parameters that do not match the "
                    + "model's " + names().size() + " parameters; expected the same names");
        }
        for (Param p : all()) {
            float[] v = values.get(p.name());
            if (v.length != p.size()) {
                throw new IllegalStateException(source + ": parameter " + p.name() + " has " + v.length
                        + " values, the model expects " + p.size());
            }
            p.set(v);
        }
    }
}
