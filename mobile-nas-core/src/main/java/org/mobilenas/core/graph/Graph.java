package org.mobilenas.core.graph;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.mobilenas.core.spec.Shape;
import org.mobilenas.core.spec.SpecException;

/** A network lowered to primitive operations in topological order; the last node is the output. */
public final class Graph {
    private final List<Node> nodes;
    private final Map<String, Node> byName;
    private final List<List<Integer>> consumers;

    private Graph(List<Node> nodes) {
        this.nodes = List.copyOf(nodes);
        Map<String, Node> m = new HashMap<>();
        List<List<Integer>> cons = new ArrayList<>();
        for (Node n : nodes) {
            m.put(n.name(), n);
            cons.add(new ArrayList<>());
        }
        for (Node n : nodes) {
            for (int i : n.inputs()) {
                cons.get(i).add(n.id());
            }
        }
        List<List<Integer>> frozen = new ArrayList<>();
        for (List<Integer> c : cons) {
            frozen.add(Collections.unmodifiableList(c));
        }
        this.byName = m;
        this.consumers = Collections.unmodifiableList(frozen);
    }

    /** The nodes in topological order. */
    public List<Node> nodes() {
        return nodes;
    }

    /** The node with id {@code id}. */
    public Node node(int id) {
        return nodes.get(id);
    }

    /** The node called {@code name}; an unknown name is an error. */
    public Node node(String name) {
        Node n = byName.get(name);
        if (n == null) {
            throw new IllegalArgumentException("no node named '" + name + "'");
        }
        return n;
    }

    /** Ids of the nodes that read node {@code id}'s output. */
    public List<Integer> consumers(int id) {
        return consumers.get(id);
    }

    /** The node whose value is the network's output. */
    public Node output() {
        return nodes.get(nodes.size() - 1);
    }

    /** Number of nodes. */
    public int size() {
        return nodes.size();
    }

    /** Builds a graph node by node; every node's shape is inferred and checked when added. */
    public static final class Builder {
        private final List<Node> nodes = new ArrayList<>();
        private final java.util.Set<String> names = new java.util.HashSet<>();

        /** Adds the input node of shape {@code shape} and returns its id. */
        public int input(Shape shape) {
            return add("input", new Op.Input(shape));
        }

        /** Adds a node and returns its id. Shape errors are reported with the node's name. */
        public int add(String name, Op op, int... inputs) {
            if (!names.add(name)) {
                throw new IllegalStateException("duplicate node name " + name);
            }
            if (op.arity() >= 0 && op.arity() != inputs.length) {
                throw new IllegalStateException(
                        name + ": " + op + " takes " + op.arity() + " inputs, got " + inputs.length);
            }
            List<Integer> ids = new ArrayList<>();
            List<Shape> shapes = new ArrayList<>();
            for (int i : inputs) {
                ids.add(i);
                shapes.add(nodes.get(i).output());
            }
            Shape out;
            try {
                out = op.outputShape(shapes);
            } catch (SpecException e) {
                throw new SpecException(name, e.getMessage());
            }
            nodes.add(new Node(nodes.size(), name, op, ids, shapes, out));
            return nodes.size() - 1;
        }

        /** The output shape of node {@code id}. */
        public Shape shape(int id) {
            return nodes.get(id).output();
        }

        /** The graph built so far. */
        public Graph build() {
            return new Graph(nodes);
        }
    }
}
