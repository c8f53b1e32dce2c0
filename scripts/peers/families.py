#!/usr/bin/env python3
"""Times, in PyTorch, the lowered graphs that FamilyGraphs writes (the same networks FamilyBenchmark times in the
engine): a training step (forward, cross-entropy, backward, SGD update) at batch 64 on the *-train.json graphs and
batch-1 inference on the *-inference.json graphs. Every node of the graph becomes the matching PyTorch layer, so
both frameworks run the same layers with the same shapes. Prints and writes JSON: milliseconds per network.

    PATH="$(getconf PATH)" python3 scripts/peers/families.py --graphs target/family-graphs --threads 2 --out peers.json
"""
import argparse
import json
import math
import pathlib
import statistics
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

ACTIVATIONS = {
    "NONE": nn.Identity,
    "RELU": nn.ReLU,
    "RELU6": nn.ReLU6,
    "HSWISH": nn.Hardswish,
    "SWISH": nn.SiLU,
    "SIGMOID": nn.Sigmoid,
    "HSIGMOID": nn.Hardsigmoid,
}


class GraphNet(nn.Module):
    """Runs the nodes of a lowered graph in order; a node's value is dropped after its last consumer."""

    def __init__(self, graph):
        super().__init__()
        self.nodes = graph["nodes"]
        self.layers = nn.ModuleDict()
        self.last_use = [0] * len(self.nodes)
        for node in self.nodes:
            for i in node["inputs"]:
                self.last_use[i] = max(self.last_use[i], node["id"])
            layer = self._layer(node)
            if layer is not None:
                self.layers[str(node["id"])] = layer
        self.last_use[-1] = len(self.nodes)

    def _layer(self, node):
        op, a = node["op"], node["attrs"]
        if not node["inputs"]:
            return None
        src = self.nodes[node["inputs"][0]]["shape"]
        if op == "Conv":
            return nn.Conv2d(src[2], a["out"], a["kernel"], a["stride"], a["padding"], groups=a["groups"],
                             bias=a["bias"])
        if op == "BatchNorm":
            return nn.BatchNorm2d(node["shape"][2])
        if op == "Act":
            return ACTIVATIONS[a["activation"]]()
        if op == "Pool":
            pool = nn.AvgPool2d if a["type"] == "AVG" else nn.MaxPool2d
            return pool(a["kernel"], a["stride"], a["padding"])
        if op == "Linear":
            return nn.Linear(src[0] * src[1] * src[2], a["out"], bias=a["bias"])
        if op == "Dropout":
            return nn.Dropout(a["p"])
        return None

    def forward(self, x):
        values = [None] * len(self.nodes)
        values[0] = x
        for node in self.nodes[1:]:
            op, a, key = node["op"], node["attrs"], str(node["id"])
            ins = [values[i] for i in node["inputs"]]
            if op == "Linear":
                y = self.layers[key](torch.flatten(ins[0], 1))
            elif key in self.layers:
                y = self.layers[key](ins[0])
            elif op == "GlobalPool":
                y = ins[0].mean((2, 3), keepdim=True) if a["type"] == "AVG" else ins[0].amax((2, 3), keepdim=True)
            elif op == "Add":
                y = ins[0] + ins[1]
            elif op == "Scale":
                y = ins[0] * ins[1]
            elif op == "Concat":
                y = torch.cat(ins, 1)
            elif op == "Slice":
                y = ins[0][:, a["from"]:a["to"]]
            elif op == "Shuffle":
                n, c, h, w = ins[0].shape
                g = a["groups"]
                y = ins[0].reshape(n, g, c // g, h, w).transpose(1, 2).reshape(n, c, h, w)
            else:
                raise ValueError("node %s: op %s is not supported" % (node["name"], op))
            values[node["id"]] = y
            for i in node["inputs"]:
                if self.last_use[i] == node["id"]:
                    values[i] = None
        return torch.flatten(values[-1], 1)


def timed(fn, seconds, warmup):
    for _ in range(warmup):
        fn()
    times = []
    end = time.perf_counter() + seconds
    while time.perf_counter() < end or len(times) < 5:
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return 1000 * statistics.median(times)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--graphs", required=True, help="directory of FamilyGraphs' JSON files")
    p.add_argument("--threads", type=int, default=2, help="torch intra-op threads (default 2)")
    p.add_argument("--seconds", type=float, default=8, help="timed seconds per case (default 8)")
    p.add_argument("--out", help="JSON file for the results")
    args = p.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(1)
    graphs = pathlib.Path(args.graphs)
    names = sorted(f.name[: -len("-train.json")] for f in graphs.glob("*-train.json"))
    if not names:
        raise SystemExit("no *-train.json graphs in %s: run FamilyGraphs first" % graphs)
    results = {"torch": torch.__version__, "threads": args.threads, "networks": {}}
    for name in names:
        train = GraphNet(json.loads((graphs / (name + "-train.json")).read_text()))
        shape = train.nodes[0]["shape"]
        x = torch.randn(64, shape[2], shape[0], shape[1])
        y = torch.randint(0, train.nodes[-1]["shape"][2], (64,))
        opt = torch.optim.SGD(train.parameters(), lr=0.01)
        train.train()

        def step():
            opt.zero_grad()
            loss = F.cross_entropy(train(x), y)
            loss.backward()
            opt.step()

        train_ms = timed(step, args.seconds, 3)
        infer = GraphNet(json.loads((graphs / (name + "-inference.json")).read_text())).eval()
        shape = infer.nodes[0]["shape"]
        image = torch.randn(1, shape[2], shape[0], shape[1])

        def run():
            with torch.inference_mode():
                infer(image)

        infer_ms = timed(run, args.seconds, 5)
        results["networks"][name] = {"trainStepMs": train_ms, "inferenceMs": infer_ms}
        print("%-24s train step %8.2f ms   inference %7.2f ms" % (name, train_ms, infer_ms), flush=True)
    if args.out:
        pathlib.Path(args.out).write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
