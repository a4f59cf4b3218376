using Tollgate.Core.Catalog;

namespace Tollgate.Core.Tests.Pricing;

/// <summary>Finds an entry of the built-in catalog (both layers), failing the test when it is missing.</summary>
internal static class BuiltInModel
{
    public static ModelEntry Find(string provider, string model) =>
        ModelCatalog.BuiltIn.Find(provider, model) ?? throw new InvalidOperationException($"{provider}/{model} is not in the catalog.");
}
