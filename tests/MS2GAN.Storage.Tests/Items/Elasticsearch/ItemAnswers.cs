namespace MS2GAN.Storage.Tests.Items.Elasticsearch;

/// <summary>Items index responses in the shapes Elasticsearch's REST API documentation gives.</summary>
internal static class ItemAnswers
{
    public const string ItemsIndex = "ms2gan-items";

    /// <summary>A stored item's _source, as <c>ItemDocuments</c> writes it.</summary>
    public static string Source(string id, string hash, string state = "ingested") => $$"""
        {"id":"{{id}}","labels":["l"],"metadata":{"k":"v"},"text":"text of {{id}}","image_media_ref":null,"image_content_type":null,
         "image_features":"AACAPwAAAMA=","text_features":null,"image_feature_space":"resnet18-512","text_feature_space":null,
         "content_hash":"{{hash}}","state":"{{state}}","failure_reason":null,"model_version":null,
         "created_at":"2025-03-01T12:00:00.0000000Z","updated_at":"2025-03-01T12:05:00.0000000Z"}
        """;

    /// <summary>A _mget response; a null hash is a document that was not found.</summary>
    public static string MultiGet(params (string Id, string? Hash, long SeqNo, long PrimaryTerm)[] docs) =>
        $$"""{"docs":[{{string.Join(",", docs.Select(d => d.Hash is null
            ? $$"""{"_index":"{{ItemsIndex}}","_id":"{{d.Id}}","found":false}"""
            : $$"""{"_index":"{{ItemsIndex}}","_id":"{{d.Id}}","_version":3,"_seq_no":{{d.SeqNo}},"_primary_term":{{d.PrimaryTerm}},"found":true,"_source":{{Source(d.Id, d.Hash)}}}"""))}}]}""";

    /// <summary>A single-document _update response (<c>updated</c> or <c>noop</c>).</summary>
    public static string Updated(string id, string result) =>
        $$"""{"_index":"{{ItemsIndex}}","_id":"{{id}}","_version":4,"result":"{{result}}","_shards":{"total":2,"successful":1,"failed":0},"_seq_no":8,"_primary_term":2}""";

    public static string DocumentMissing(string id) =>
        $$"""{"error":{"root_cause":[{"type":"document_missing_exception","reason":"[{{id}}]: document missing","index":"{{ItemsIndex}}"}],"type":"document_missing_exception","reason":"[{{id}}]: document missing","index":"{{ItemsIndex}}"},"status":404}""";

    public static string Deleted(string id, bool found) =>
        $$"""{"_index":"{{ItemsIndex}}","_id":"{{id}}","_version":2,"result":"{{(found ? "deleted" : "not_found")}}","_shards":{"total":2,"successful":1,"failed":0},"_seq_no":9,"_primary_term":2}""";

    /// <summary>A search response sorted by id (each hit has <c>sort</c>, <c>_score</c> is null).</summary>
    public static string Hits(bool withSource, params string[] ids)
    {
        var hits = ids.Select(id =>
            $$"""{"_index":"{{ItemsIndex}}","_id":"{{id}}","_score":null{{(withSource ? ",\"_source\":" + Source(id, "h") : "")}},"sort":["{{id}}"]}""");
        return """{"took":2,"timed_out":false,"_shards":{"total":1,"successful":1,"skipped":0,"failed":0},"hits":{"max_score":null,"hits":["""
            + string.Join(",", hits) + "]}}";
    }

    public static string StateCounts(params (string State, long Count)[] buckets)
    {
        var rendered = buckets.Select(b => $$"""{"key":"{{b.State}}","doc_count":{{b.Count}}}""");
        return """{"took":3,"timed_out":false,"_shards":{"total":1,"successful":1,"skipped":0,"failed":0},"hits":{"max_score":null,"hits":[]},"aggregations":{"""
            + """ "states":{"doc_count_error_upper_bound":0,"sum_other_doc_count":0,"buckets":[""" + string.Join(",", rendered) + "]}}}";
    }
}
