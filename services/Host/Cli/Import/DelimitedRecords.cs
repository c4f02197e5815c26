using System.Text;

namespace MS2GAN.Host.Cli.Import;

/// <summary>One record of a CSV or TSV file: its fields, the line it starts on, or why it cannot be read.</summary>
/// <param name="Line">The 1-based line the record starts on.</param>
/// <param name="Fields">Its fields.</param>
/// <param name="Problem">Why the record is malformed; null when it is not.</param>
public sealed record DelimitedRecord(int Line, IReadOnlyList<string> Fields, string? Problem);

/// <summary>
/// Reads CSV (RFC 4180: fields in double quotes may hold commas, line breaks and doubled quotes) and TSV (no quoting,
/// as IANA's text/tab-separated-values) record by record, keeping the line each starts on. Blank lines are skipped.
/// </summary>
public static class DelimitedRecords
{
    /// <summary>The records of <paramref name="path"/>, the header included; TSV when the name ends in .tsv.</summary>
    public static IEnumerable<DelimitedRecord> Read(string path)
    {
        using var reader = new StreamReader(path, Encoding.UTF8);
        var tsv = path.EndsWith(".tsv", StringComparison.OrdinalIgnoreCase);
        var number = 0;
        while (reader.ReadLine() is { } line)
        {
            number++;
            if (line.Length == 0)
            {
                continue;
            }
            if (tsv)
            {
                yield return new DelimitedRecord(number, line.Split('\t'), null);
                continue;
            }
            var start = number;
            var fields = new List<string>();
            var field = new StringBuilder();
            string? problem = null;
            var quoted = false;
            var i = 0;
            while (true)
            {
                if (quoted)
                {
                    if (i == line.Length)
                    {
                        // A line break inside quotes belongs to the field.
                        if (reader.ReadLine() is not { } more)
                        {
                            problem = "a quoted field is not closed before the end of the file";
                            break;
                        }
                        number++;
                        field.Append('\n');
                        line = more;
                        i = 0;
                    }
                    else if (line[i] == '"' && i + 1 < line.Length && line[i + 1] == '"')
                    {
                        field.Append('"');
                        i += 2;
                    }
                    else if (line[i] == '"')
                    {
                        quoted = false;
                        i++;
                        if (i < line.Length && line[i] != ',')
                        {
                            problem ??= $"text after the closing quote of field {fields.Count + 1}";
                        }
                    }
                    else
                    {
                        field.Append(line[i++]);
                    }
                }
                else if (i == line.Length)
                {
                    fields.Add(field.ToString());
                    break;
                }
                else if (line[i] == ',')
                {
                    fields.Add(field.ToString());
                    field.Clear();
                    i++;
                }
                else if (line[i] == '"' && field.Length == 0)
                {
                    quoted = true;
                    i++;
                }
                else
                {
                    field.Append(line[i++]);
                }
            }
            yield return new DelimitedRecord(start, fields, problem);
        }
    }
}
