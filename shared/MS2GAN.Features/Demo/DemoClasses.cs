namespace MS2GAN.Features.Demo;

/// <summary>The ten demo classes. Changing this list changes every generated dataset.</summary>
internal static class DemoClasses
{
    public static IReadOnlyList<DemoClass> All { get; } =
    [
        new("red dotted circle", "red-dotted-circle", DemoShape.Circle, DemoTexture.Dots, 2f, 0.85f, 0.85f,
            ["circle", "disc", "round shape", "ball"], ["red", "crimson", "scarlet", "cherry-red"],
            ["dotted", "polka-dot", "spotted", "speckled"], ["covered in pale dots", "with polka dots", "sprinkled with light spots"]),
        new("blue striped square", "blue-striped-square", DemoShape.Square, DemoTexture.Stripes, 222f, 0.8f, 0.8f,
            ["square", "box", "block", "tile"], ["blue", "navy", "cobalt", "royal blue"],
            ["striped", "banded", "pinstriped", "lined"], ["with parallel stripes", "crossed by light bands", "painted in stripes"]),
        new("green gradient triangle", "green-gradient-triangle", DemoShape.Triangle, DemoTexture.Gradient, 125f, 0.75f, 0.7f,
            ["triangle", "wedge", "three-sided shape", "pyramid outline"], ["green", "emerald", "leaf-green", "forest green"],
            ["shaded", "smoothly shaded", "gradient", "faded"], ["fading from light to dark", "with a soft gradient", "shaded along one side"]),
        new("yellow outlined star", "yellow-outlined-star", DemoShape.Star, DemoTexture.Outline, 52f, 0.85f, 0.95f,
            ["star", "five-pointed star", "starburst", "pointed star"], ["yellow", "golden", "lemon", "sunny yellow"],
            ["outlined", "edged", "bordered", "rimmed"], ["with a dark border", "traced with a darker edge", "outlined in brown"]),
        new("purple checkered hexagon", "purple-checkered-hexagon", DemoShape.Hexagon, DemoTexture.Checker, 280f, 0.6f, 0.75f,
            ["hexagon", "six-sided shape", "honeycomb cell", "hex tile"], ["purple", "violet", "plum", "lavender"],
            ["checkered", "chequered", "tiled", "checkerboard"], ["with a checkerboard pattern", "in a chequered pattern", "made of small squares"]),
        new("orange plain cross", "orange-plain-cross", DemoShape.Cross, DemoTexture.Plain, 28f, 0.9f, 0.95f,
            ["cross", "plus sign", "plus symbol", "cross shape"], ["orange", "tangerine", "amber", "pumpkin-coloured"],
            ["plain", "solid", "flat", "bold"], ["in one flat colour", "with no pattern", "filled solidly"]),
        new("cyan hollow ring", "cyan-hollow-ring", DemoShape.Ring, DemoTexture.Hollow, 185f, 0.8f, 0.85f,
            ["ring", "hoop", "donut", "circle outline"], ["cyan", "turquoise", "aqua", "teal"],
            ["hollow", "open", "empty-centred", "thick"], ["with an empty middle", "open in the centre", "drawn as a thick band"]),
        new("grey coiled spiral", "grey-coiled-spiral", DemoShape.Spiral, DemoTexture.Coiled, 220f, 0.08f, 0.35f,
            ["spiral", "swirl", "coil", "whorl"], ["grey", "charcoal", "dark grey", "slate"],
            ["coiled", "winding", "curling", "twisting"], ["winding outward from the centre", "curling around itself", "drawn as one curling line"]),
        new("pink glowing heart", "pink-glowing-heart", DemoShape.Heart, DemoTexture.Glow, 330f, 0.55f, 0.95f,
            ["heart", "heart shape", "love heart", "valentine heart"], ["pink", "rose", "magenta", "salmon pink"],
            ["glowing", "soft", "radiant", "bright-centred"], ["glowing from the centre", "lit from within", "with a bright core"]),
        new("brown grid diamond", "brown-grid-diamond", DemoShape.Diamond, DemoTexture.Grid, 25f, 0.65f, 0.5f,
            ["diamond", "rhombus", "lozenge", "kite shape"], ["brown", "chocolate", "tan", "coffee-coloured"],
            ["grid-patterned", "cross-hatched", "meshed", "latticed"], ["with a fine grid", "covered in a lattice", "cross-hatched with thin lines"]),
    ];
}
