namespace Tollgate.Core.Pricing;

/// <summary>How the provider processes (and prices) a request.</summary>
public enum ServiceTier
{
    Standard,
    Batch,
    Flex,
    Priority,
}
