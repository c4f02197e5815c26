using System.Text.RegularExpressions;

namespace MS2GAN.Storage.Vectors;

/// <summary>Index definitions and names every vector store accepts (names: a subset of Elasticsearch's rules).</summary>
internal static partial class IndexRules
{
    /// <summary>Throws <see cref="ArgumentException"/> unless the name is lower-case letters, digits, '.', '_' and '-'.</summary>
    public static void ValidateName(string name, string what)
    {
        if (!IsValidName(name))
        {
            throw new ArgumentException(
                $"Invalid {what} name '{name}': use lower-case letters, digits, '.', '_' and '-', starting with a letter or digit, at most 200 characters.");
        }
    }

    public static bool IsValidName(string? name) => name is not null && Pattern().IsMatch(name);

    /// <summary>A valid name and dimensions of 1..4096 (Elasticsearch's dense_vector limit), or <see cref="ArgumentException"/>.</summary>
    public static void ValidateDefinition(IndexDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ValidateName(definition.Name, "index");
        if (definition.SpecificDim is < 1 or > 4096 || definition.SharedDim is < 1 or > 4096)
        {
            throw new ArgumentException(
                $"Index '{definition.Name}': dimensions must be 1..4096 (specific {definition.SpecificDim}, shared {definition.SharedDim}).");
        }
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]{0,199}$")]
    private static partial Regex Pattern();
}
