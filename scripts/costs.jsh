// Cost table of the reference catalogue, interactively.
// Start with: scripts/jshell.sh   (builds the project once and opens jshell with this script loaded)
import org.mobilenas.core.cost.Costs;
import org.mobilenas.core.spec.*;
import org.mobilenas.spaces.catalog.*;

for (String name : Catalog.names()) System.out.println(Costs.of(Catalog.get(name)).summary());

// One network, layer by layer:
System.out.println(Costs.of(Catalog.get("mobilenet_v2_1.0")).table());

// Your own variant: half width at 160 px.
var mine = Scaling.width(Catalog.get("mobilenet_v2_1.0"), 0.5, Scaling.Head.KEEP_AT_LEAST_BASE, true).withResolution(160);
System.out.println(Costs.of(mine).summary());
