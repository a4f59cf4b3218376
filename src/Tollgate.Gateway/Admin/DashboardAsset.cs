namespace Tollgate.Gateway.Admin;

/// <summary>One built file of the dashboard.</summary>
/// <param name="Body">The file's bytes.</param>
/// <param name="Gzip">The same, gzip-compressed; null for small or already compressed files.</param>
/// <param name="ContentType">The media type sent with it.</param>
/// <param name="ETag">A strong ETag (a hash of the content).</param>
/// <param name="Immutable">True for content-hashed names, which browsers may cache for good.</param>
internal sealed record DashboardAsset(byte[] Body, byte[]? Gzip, string ContentType, string ETag, bool Immutable);
