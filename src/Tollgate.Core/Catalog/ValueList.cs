using System.Collections;

namespace Tollgate.Core.Catalog;

/// <summary>
/// A read-only list that compares by its items, so the price records that hold lists (image prices, long-context
/// tiers) keep the value equality records have everywhere else.
/// </summary>
internal sealed class ValueList<T> : IReadOnlyList<T>, IEquatable<ValueList<T>>
{
    private readonly T[] _items;

    public ValueList(IEnumerable<T> items) => _items = [.. items];

    public int Count => _items.Length;

    public T this[int index] => _items[index];

    /// <summary>Wraps <paramref name="items"/> unless it already is one (or is null).</summary>
    public static IReadOnlyList<T>? From(IReadOnlyList<T>? items) => items is null or ValueList<T> ? items : new ValueList<T>(items);

    public bool Equals(ValueList<T>? other) =>
        other is not null && _items.AsSpan().SequenceEqual(other._items, EqualityComparer<T>.Default);

    public override bool Equals(object? obj) => obj is ValueList<T> other && Equals(other);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var item in _items)
        {
            hash.Add(item);
        }

        return hash.ToHashCode();
    }

    public IEnumerator<T> GetEnumerator() => ((IEnumerable<T>)_items).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => _items.GetEnumerator();
}
