namespace MS2GAN.Storage.Tests.Vectors.Elasticsearch;

/// <summary>Response bodies in the shapes Elasticsearch's REST API documentation gives for each endpoint.</summary>
internal static class ElasticsearchAnswers
{
    public const string Acknowledged = """{"acknowledged":true}""";

    public const string IndexCreated = """{"acknowledged":true,"shards_acknowledged":true,"index":"ms2gan-vectors-v1"}""";

    /// <summary>GET /{index}/_mapping of an index this store created.</summary>
    public static string Mapping(string physical, int specificDim, int sharedDim, string? modelVersion = "m1") => $$$"""
        {"{{{physical}}}":{"mappings":{
          "_meta":{"ms2gan":{"name":"{{{physical}}}"{{{(modelVersion is null ? "" : $",\"model_version\":\"{modelVersion}\"")}}}}},
          "dynamic":"strict",
          "properties":{
            "item_id":{"type":"keyword"},"labels":{"type":"keyword"},"metadata":{"type":"flattened"},"modality":{"type":"keyword"},
            "shared":{"type":"dense_vector","dims":{{{sharedDim}}},"index":true,"similarity":"dot_product","index_options":{"type":"int8_hnsw","m":16,"ef_construction":100}},
            "specific":{"type":"dense_vector","dims":{{{specificDim}}},"index":true,"similarity":"dot_product","index_options":{"type":"int8_hnsw","m":16,"ef_construction":100} } } } } }
        """;

    public static string Error(string type, string reason, int status) => $$$"""
        {"error":{"root_cause":[{"type":"{{{type}}}","reason":"{{{reason}}}"}],"type":"{{{type}}}","reason":"{{{reason}}}"},"status":{{{status}}}}
        """;

    public static string IndexNotFound(string physical) => $$$"""
        {"error":{"root_cause":[{"type":"index_not_found_exception","reason":"no such index [{{{physical}}}]","resource.type":"index_or_alias","resource.id":"{{{physical}}}","index_uuid":"_na_","index":"{{{physical}}}"}],
        "type":"index_not_found_exception","reason":"no such index [{{{physical}}}]","resource.type":"index_or_alias","resource.id":"{{{physical}}}","index_uuid":"_na_","index":"{{{physical}}}"},"status":404}
        """;

    /// <summary>A bulk response; each item is (id, status, error type or null).</summary>
    public static string Bulk(string action, params (string Id, int Status, string? ErrorType)[] items)
    {
        var rendered = items.Select(i => i.ErrorType is null
            ? $$$"""{"{{{action}}}":{"_index":"ms2gan-vectors-v1","_id":"{{{i.Id}}}","_version":1,"result":"{{{(i.Status == 404 ? "not_found" : action == "delete" ? "deleted" : "created")}}}","_shards":{"total":2,"successful":1,"failed":0},"_seq_no":0,"_primary_term":1,"status":{{{i.Status}}}}}"""
            : $$$"""{"{{{action}}}":{"_index":"ms2gan-vectors-v1","_id":"{{{i.Id}}}","status":{{{i.Status}}},"error":{"type":"{{{i.ErrorType}}}","reason":"reason for {{{i.Id}}}","index_uuid":"aAsFqTI0Tc2W0LCWgPNrOA","shard":"0","index":"ms2gan-vectors-v1"} } }""");
        return $$$"""{"took":30,"errors":{{{(items.Any(i => i.ErrorType is not null) ? "true" : "false")}}},"items":[{{{string.Join(",", rendered)}}}]}""";
    }

    /// <summary>A search response with <c>track_scores</c> and a sort (so <c>max_score</c> is null and each hit has <c>sort</c>).</summary>
    public static string Search(params (string ItemId, string Modality, double Score, string[] Labels)[] hits)
    {
        var rendered = hits.Select(h => $$$"""
            {"_index":"ms2gan-vectors-v1","_id":"{{{h.ItemId}}}:{{{h.Modality}}}","_score":{{{h.Score}}},
             "_source":{"item_id":"{{{h.ItemId}}}","modality":"{{{h.Modality}}}","labels":[{{{string.Join(",", h.Labels.Select(l => $"\"{l}\""))}}}],"metadata":{"source":"s1"}},
             "sort":[{{{h.Score}}},"{{{h.ItemId}}}","{{{h.Modality}}}"]}
            """);
        return $$$"""{"took":5,"timed_out":false,"_shards":{"total":1,"successful":1,"skipped":0,"failed":0},"hits":{"max_score":null,"hits":[{{{string.Join(",", rendered)}}}]}}""";
    }
}
