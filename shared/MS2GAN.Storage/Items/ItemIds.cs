namespace MS2GAN.Storage.Items;

/// <summary>
/// Item ids: client-supplied ids are checked here, and ids are generated here when a client gives none.
/// </summary>
/// <remarks>
/// An id is 1 to 128 characters of <c>A-Z a-z 0-9 . _ : -</c> and does not start with '.' (so neither
/// "." nor ".." can be one). Ids end up in URLs, log lines and index documents; the narrow alphabet keeps
/// them safe in all of them without escaping.
/// </remarks>
public static class ItemIds
{
    /// <summary>The longest id accepted.</summary>
    public const int MaxLength = 128;

    /// <summary>
    /// A new id: a version 7 UUID as 32 hex digits. Ids generated later sort after earlier ones, so keyset
    /// listings of generated ids follow ingestion order.
    /// </summary>
    public static string New() => Guid.CreateVersion7().ToString("N");

    /// <summary>Whether <paramref name="id"/> is an acceptable item id.</summary>
    public static bool IsValid(string? id) => Problem(id) is null;

    /// <summary>Checks an id; false with the reason in <paramref name="error"/> when it is not acceptable.</summary>
    public static bool TryValidate(string? id, out string? error)
    {
        error = Problem(id);
        return error is null;
    }

    /// <summary>Throws <see cref="ArgumentException"/> saying what is wrong when <paramref name="id"/> is not acceptable.</summary>
    /// <returns>The id, for use in expressions.</returns>
    public static string Validate(string? id, string parameterName = "id")
    {
        var problem = Problem(id);
        return problem is null ? id! : throw new ArgumentException(problem, parameterName);
    }

    private static string? Problem(string? id)
    {
        if (string.IsNullOrEmpty(id))
        {
            return "An item id must not be empty.";
        }
        if (id.Length > MaxLength)
        {
            return $"An item id must be at most {MaxLength} characters long; this one has {id.Length}.";
        }
        if (id[0] == '.')
        {
            return "An item id must not start with '.'.";
        }
        foreach (var c in id)
        {
            if (!IsAllowed(c))
            {
                return $"An item id may contain only letters A-Z and a-z, digits and '.', '_', ':', '-'; found {Describe(c)}.";
            }
        }
        return null;
    }

    private static bool IsAllowed(char c) => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or ':' or '-';

    private static string Describe(char c) =>
        char.IsControl(c) || char.IsWhiteSpace(c) ? $"U+{(int)c:X4}" : $"'{c}' (U+{(int)c:X4})";
}
