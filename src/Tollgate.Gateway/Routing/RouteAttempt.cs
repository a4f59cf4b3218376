namespace Tollgate.Gateway.Routing;

/// <summary>One attempt to make: the deployment, how long to wait before sending, its number (1 for the first), and its group.</summary>
internal readonly record struct RouteAttempt(Route Deployment, TimeSpan Delay, int Number, RouteGroup Group);
