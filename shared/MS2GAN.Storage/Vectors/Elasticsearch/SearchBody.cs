using System.Text.Json.Nodes;
using MS2GAN.Storage.Elasticsearch;

namespace MS2GAN.Storage.Vectors.Elasticsearch;

/// <summary>
/// The <c>_search</c> body of a <see cref="VectorQuery"/>.
/// <para>
/// Fusion: Elasticsearch's RRF and linear retrievers need a paid licence, so both modes score with one painless
/// <c>script_score</c>: <c>ws * dotProduct(qs, 'specific') + wc * dotProduct(qc, 'shared') + offset</c>. Over
/// L2-normalised vectors this is exactly the embedded store's score, computed from the stored float vectors (not the
/// int8 copies), so the weights stay a query-time choice and no reindex is needed to change them. script_score
/// refuses negative scores, hence <c>offset = |ws| + |wc|</c>, subtracted again when hits are read.
/// </para>
/// <para>
/// <see cref="ElasticsearchSearchMode.Exact"/> runs the script over every record passing the filters (brute force).
/// <see cref="ElasticsearchSearchMode.Knn"/> narrows that set first: a bool <c>should</c> of one <c>knn</c> query per
/// field with a non-zero weight, each with the filters inside (applied during the HNSW search, so a selective filter
/// still fills k) and returning its <c>num_candidates</c> nearest, and the script re-scores the union exactly. A record that only one field's
/// search finds still gets both terms of its score, which summing the kNN scores of two top-level knn clauses
/// (each <c>(1 + dot) / 2</c>, and absent for the field that missed it) would not give.
/// </para>
/// Ties are broken by <c>item_id</c>, then <c>modality</c> (keyword order is ordinal), like the embedded store.
/// </summary>
internal static class SearchBody
{
    /// <summary>Fields returned with each hit; the vectors stay on the server.</summary>
    public static readonly string[] SourceFields = ["item_id", "modality", "labels", "metadata", "auto_label"];

    public static JsonObject Build(
        VectorQuery query, float[] specific, float[] shared, ElasticsearchSearchMode mode, int numCandidates, out double offset)
    {
        offset = Math.Abs(query.SpecificWeight) + Math.Abs(query.SharedWeight);
        var filter = Filter(query);
        JsonNode candidates;
        if (mode == ElasticsearchSearchMode.Exact)
        {
            candidates = filter ?? new JsonObject { ["match_all"] = new JsonObject() };
        }
        else
        {
            var k = Math.Min(Math.Max(numCandidates, query.Offset + query.K), VectorQuery.MaxResultWindow);
            var should = new JsonArray();
            if (query.SpecificWeight != 0)
            {
                should.Add(Knn("specific", specific, k, filter));
            }

            if (query.SharedWeight != 0)
            {
                should.Add(Knn("shared", shared, k, filter));
            }

            var candidateQuery = new JsonObject { ["should"] = should, ["minimum_should_match"] = 1 };
            if (filter is not null)
            {
                candidateQuery["filter"] = new JsonArray(filter);
            }

            candidates = should.Count == 0
                ? filter ?? new JsonObject { ["match_all"] = new JsonObject() }
                : new JsonObject { ["bool"] = candidateQuery };
        }

        return new JsonObject
        {
            ["from"] = query.Offset,
            ["size"] = query.K,
            ["track_total_hits"] = false,
            ["track_scores"] = true,
            ["_source"] = new JsonArray([.. SourceFields.Select(f => (JsonNode)f)]),
            ["query"] = new JsonObject
            {
                ["script_score"] = new JsonObject
                {
                    ["query"] = candidates,
                    ["script"] = Script(query, specific, shared, offset),
                },
            },
            ["sort"] = new JsonArray(
                new JsonObject { ["_score"] = "desc" },
                new JsonObject { ["item_id"] = "asc" },
                new JsonObject { ["modality"] = "asc" }),
        };
    }

    /// <summary>Target modality, labels any-of, metadata exact, the auto-label and its confidence, and the excluded item, as one bool query; null when none.</summary>
    public static JsonObject? Filter(VectorQuery query)
    {
        var filters = new JsonArray();
        if (query.Target != VectorModalities.Any)
        {
            filters.Add(Term("modality", query.Target));
        }

        if (query.AnyOfLabels is { Count: > 0 } labels)
        {
            filters.Add(new JsonObject { ["terms"] = new JsonObject { ["labels"] = new JsonArray([.. labels.Select(l => (JsonNode)l)]) } });
        }

        foreach (var (key, value) in query.Metadata ?? new Dictionary<string, string>())
        {
            filters.Add(Term($"metadata.{key}", value));
        }

        if (query.AutoLabel is not null)
        {
            filters.Add(Term("auto_label.label", query.AutoLabel));
            if (query.MinAutoLabelConfidence > 0)
            {
                filters.Add(new JsonObject { ["range"] = new JsonObject { ["auto_label.confidence"] = new JsonObject { ["gte"] = query.MinAutoLabelConfidence } } });
            }
        }

        var mustNot = new JsonArray();
        if (query.ExcludeItemId is not null)
        {
            mustNot.Add(Term("item_id", query.ExcludeItemId));
        }

        if (filters.Count == 0 && mustNot.Count == 0)
        {
            return null;
        }

        var boolQuery = new JsonObject();
        if (filters.Count > 0)
        {
            boolQuery["filter"] = filters;
        }

        if (mustNot.Count > 0)
        {
            boolQuery["must_not"] = mustNot;
        }

        return new JsonObject { ["bool"] = boolQuery };
    }

    /// <summary>
    /// A knn query returning its field's <paramref name="candidates"/> nearest records (k = num_candidates): the fused
    /// top k need not be in either field's own top k, so each field hands over all it examined for the re-score.
    /// k is explicit because it defaults to the request's size, which would cut pages past the first.
    /// </summary>
    private static JsonObject Knn(string field, float[] vector, int candidates, JsonObject? filter)
    {
        var knn = new JsonObject
        {
            ["field"] = field,
            ["query_vector"] = Vector(vector),
            ["k"] = candidates,
            ["num_candidates"] = candidates,
        };
        if (filter is not null)
        {
            knn["filter"] = filter.DeepClone();
        }

        return new JsonObject { ["knn"] = knn };
    }

    private static JsonObject Script(VectorQuery query, float[] specific, float[] shared, double offset)
    {
        var terms = new List<string>();
        var parameters = new JsonObject();
        if (query.SpecificWeight != 0)
        {
            terms.Add("params.ws * dotProduct(params.qs, 'specific')");
            parameters["ws"] = query.SpecificWeight;
            parameters["qs"] = Vector(specific);
        }

        if (query.SharedWeight != 0)
        {
            terms.Add("params.wc * dotProduct(params.qc, 'shared')");
            parameters["wc"] = query.SharedWeight;
            parameters["qc"] = Vector(shared);
        }

        terms.Add("params.offset");
        parameters["offset"] = offset;
        return new JsonObject { ["source"] = string.Join(" + ", terms), ["params"] = parameters };
    }

    private static JsonObject Term(string field, string value) =>
        new() { ["term"] = new JsonObject { [field] = value } };

    private static JsonArray Vector(float[] vector) => new([.. vector.Select(v => (JsonNode)v)]);
}
