using Tollgate.Core.Catalog;
using Tollgate.Core.Pricing;
using Tollgate.Gateway.Admission;

namespace Tollgate.Gateway.Tests.Admission;

/// <summary>
/// The clamp's arithmetic, computed by hand: a model at $3 input and $15 output per million tokens, a prompt bound of
/// 1,000 tokens (reserved with its margin as 1,000 + 250 + 16 = 1,266 tokens, $0.003798), so each output token
/// reserved costs $0.000015 and the largest limit is floor((remaining - 0.003798) / 0.000015 / choices).
/// </summary>
public sealed class OutputClampTests
{
    private static readonly ModelEntry s_model = new() { Provider = "p", Model = "m", MaxOutput = 64_000, Prices = new ModelPrices { Input = 3m, Output = 15m } };

    private static decimal Worst(long output) => AdmissionControl.WorstCase(s_model, 1_000, output);

    [Theory]
    // (0.05 - 0.003798) / 0.000015 = 3080.13: 3080 output tokens cost $0.049998, 3081 would be $0.050013.
    [InlineData("0.05", 1, 32_000, 3_080)]
    // Two choices share the allowance: 2 x 1540 = 3080.
    [InlineData("0.05", 2, 32_000, 1_540)]
    // Three choices: 3080.13 / 3 = 1026.7, so 1026 each.
    [InlineData("0.05", 3, 32_000, 1_026)]
    // (0.02 - 0.003798) / 0.000015 = 1080.13.
    [InlineData("0.02", 1, 32_000, 1_080)]
    // Exactly on the boundary: 0.003798 + 2000 x 0.000015 = 0.033798 admits 2000, not 2001.
    [InlineData("0.033798", 1, 32_000, 2_000)]
    public void Fit_RemainingBudget_LargestLimitThatFitsExactly(string remaining, long choices, long requested, long expected)
    {
        var budget = decimal.Parse(remaining, System.Globalization.CultureInfo.InvariantCulture);

        var fit = OutputClamp.Fit(budget, requested, 1_024, limit => Worst(limit * choices));

        Assert.Equal(expected, fit);
        // An upper bound that fits, and one token more would not.
        Assert.True(Worst(expected * choices) <= budget);
        Assert.True(Worst((expected + 1) * choices) > budget);
    }

    [Theory]
    // (0.018 - 0.003798) / 0.000015 = 946.8: under the 1,024 minimum, so refused rather than clamped.
    [InlineData("0.018", 1_024, 32_000)]
    // Not even the prompt fits.
    [InlineData("0.003", 1_024, 32_000)]
    // A request that already asks for no more than the minimum is refused as it is.
    [InlineData("0.01", 1_024, 1_000)]
    public void Fit_TooLittleLeft_Null(string remaining, long minimum, long requested)
    {
        var budget = decimal.Parse(remaining, System.Globalization.CultureInfo.InvariantCulture);

        Assert.Null(OutputClamp.Fit(budget, requested, minimum, limit => Worst(limit)));
    }

    [Fact]
    public void Fit_KeysOwnMinimum_Applies()
    {
        // 1080 fit in $0.02: with a minimum of 2000 that is not a useful answer, with 500 it is.
        Assert.Null(OutputClamp.Fit(0.02m, 32_000, 2_000, Worst));
        Assert.Equal(1_080, OutputClamp.Fit(0.02m, 32_000, 500, Worst));
    }

    [Fact]
    public void Fit_PriorityTier_PricedAtTheTierTheRequestAsked()
    {
        // At a priority tier of $6 / $30: (0.05 - 1266 x 0.000006) / 0.00003 = (0.05 - 0.007596) / 0.00003 = 1413.47.
        var model = s_model with { Prices = new ModelPrices { Input = 3m, Output = 15m, Priority = new TierPrices { Input = 6m, Output = 30m } } };

        Assert.Equal(1_413, OutputClamp.Fit(0.05m, 32_000, 1_024, limit => AdmissionControl.WorstCase(model, 1_000, limit, ServiceTier.Priority)));
    }

    [Theory]
    // TPM 5000 with 1000 used: 4000 of headroom less the prompt's 1266 leaves 2734 (1367 each for two choices).
    [InlineData(4_000, 1_266, 1, 32_000, 1_024, 2_734L)]
    [InlineData(4_000, 1_266, 2, 32_000, 1_024, 1_367L)]
    [InlineData(2_000, 1_266, 1, 32_000, 1_024, null)]
    [InlineData(4_000, 1_266, 1, 2_000, 1_024, null)]
    public void FitTokens_Headroom_LargestLimit(long headroom, long prompt, long choices, long requested, long minimum, long? expected)
    {
        Assert.Equal(expected, OutputClamp.FitTokens(headroom, prompt, choices, requested, minimum));
    }
}
