namespace Tollgate.Gateway.Configuration;

/// <summary>What a translated request does with parameters the upstream's API cannot express.</summary>
public enum UnsupportedParameterPolicy
{
    /// <summary>Leave them out and name them in the <c>x-tollgate-dropped-params</c> response header.</summary>
    Drop,

    /// <summary>Answer 400, naming the first such parameter.</summary>
    Reject,
}
