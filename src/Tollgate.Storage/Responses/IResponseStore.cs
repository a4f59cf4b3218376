namespace Tollgate.Storage.Responses;

/// <summary>Stored Responses API responses, each readable only by the key that created it.</summary>
public interface IResponseStore
{
    /// <summary>Stores (or replaces) a response.</summary>
    void Save(StoredResponse response);

    /// <summary>The response with <paramref name="id"/> created by <paramref name="owner"/>; null when there is none.</summary>
    StoredResponse? Find(string id, string owner);

    /// <summary>Deletes the response; false when <paramref name="owner"/> has none with that id.</summary>
    bool Delete(string id, string owner);

    /// <summary>Deletes responses stored before <paramref name="before"/>; returns how many.</summary>
    int Purge(DateTimeOffset before);
}
