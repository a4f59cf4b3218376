namespace Tollgate.Gateway.Routing;

/// <summary>A stable sort of a few deployments by a key: groups are small, so insertion sort, no allocation.</summary>
internal static class StableOrder
{
    public static void By<TKey>(Span<Route> routes, Span<TKey> keys)
        where TKey : IComparable<TKey>
    {
        for (var i = 1; i < routes.Length; i++)
        {
            var route = routes[i];
            var key = keys[i];
            var j = i - 1;
            while (j >= 0 && keys[j].CompareTo(key) > 0)
            {
                routes[j + 1] = routes[j];
                keys[j + 1] = keys[j];
                j--;
            }

            routes[j + 1] = route;
            keys[j + 1] = key;
        }
    }

    /// <summary>Fisher–Yates, so ties of a later stable sort fall at random.</summary>
    public static void Shuffle(Span<Route> routes, Random random)
    {
        for (var i = routes.Length - 1; i > 0; i--)
        {
            var j = random.Next(i + 1);
            (routes[i], routes[j]) = (routes[j], routes[i]);
        }
    }
}
