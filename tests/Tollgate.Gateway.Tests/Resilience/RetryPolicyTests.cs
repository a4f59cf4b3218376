using Tollgate.Gateway.Configuration;
using Tollgate.Gateway.Resilience;

namespace Tollgate.Gateway.Tests.Resilience;

public sealed class RetryPolicyTests
{
    private static readonly RetryPolicy Policy = new(new RoutingOptions { Retries = 2, Backoff = TimeSpan.FromMilliseconds(100), MaxBackoff = TimeSpan.FromSeconds(5) });

    private static RetryState State(int retries = 0, bool other = false, TimeSpan? same = null, bool next = false, bool context = false, double remainingS = 60) =>
        new(retries, other, same ?? TimeSpan.Zero, next, context, TimeSpan.FromSeconds(remainingS));

    [Theory]
    [InlineData(429)]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(503)]
    [InlineData(504)]
    [InlineData(529)]
    public void Classify_RetryableStatus_Retryable(int status)
    {
        Assert.Equal(FailureClass.Retryable, AttemptFailure.FromStatus(status).Class);
    }

    [Theory]
    [InlineData(400)]
    [InlineData(401)]
    [InlineData(403)]
    [InlineData(404)]
    [InlineData(413)]
    [InlineData(422)]
    public void Classify_ClientErrorStatus_Final(int status)
    {
        Assert.Equal(FailureClass.Final, AttemptFailure.FromStatus(status).Class);
    }

    [Fact]
    public void Classify_ConnectTimeoutBadResponse_Retryable()
    {
        Assert.Equal(FailureClass.Retryable, AttemptFailure.Connect.Class);
        Assert.Equal(FailureClass.Retryable, AttemptFailure.Timeout.Class);
        Assert.Equal(FailureClass.Retryable, new AttemptFailure(FailureKind.BadResponse).Class);
    }

    [Theory]
    [InlineData(400, """{"error":{"message":"This model's maximum context length is 128000 tokens.","type":"invalid_request_error","param":"messages","code":"context_length_exceeded"}}""")]
    [InlineData(400, """{"type":"error","error":{"type":"invalid_request_error","message":"prompt is too long: 215000 tokens > 200000 maximum"}}""")]
    [InlineData(400, """{"type":"error","error":{"type":"invalid_request_error","message":"input length and `max_tokens` exceed context limit: 198000 + 8192 > 200000"}}""")]
    [InlineData(400, """{"error":{"code":400,"message":"The input token count (1048577) exceeds the maximum number of tokens allowed (1048576).","status":"INVALID_ARGUMENT"}}""")]
    public void Classify_ContextLengthBodies_ContextLength(int status, string body)
    {
        Assert.Equal(FailureClass.ContextLength, AttemptFailure.FromStatus(status, System.Text.Encoding.UTF8.GetBytes(body)).Class);
    }

    [Fact]
    public void Classify_OtherBadRequestBody_Final()
    {
        var body = """{"error":{"message":"Invalid value for 'temperature'","code":"invalid_value"}}"""u8;

        Assert.Equal(FailureClass.Final, AttemptFailure.FromStatus(400, body).Class);
        Assert.Equal(FailureClass.Retryable, AttemptFailure.FromStatus(503, "prompt is too long"u8).Class);
    }

    [Fact]
    public void Decide_Final_PassOn()
    {
        Assert.Equal(RetryAction.PassOn, Policy.Decide(AttemptFailure.FromStatus(401), State(other: true, next: true), new Random(1)).Action);
    }

    [Fact]
    public void Decide_ContextLength_ContextFallbackOrPassOn()
    {
        var failure = AttemptFailure.FromStatus(400, contextLengthExceeded: true);

        Assert.Equal(RetryAction.ContextFallback, Policy.Decide(failure, State(other: true, context: true), new Random(1)).Action);
        Assert.Equal(RetryAction.PassOn, Policy.Decide(failure, State(other: true, next: true), new Random(1)).Action);
    }

    [Fact]
    public void Decide_RetryableWithAnotherDeployment_TryOtherNow()
    {
        var d = Policy.Decide(AttemptFailure.FromStatus(503, TimeSpan.FromSeconds(2)), State(other: true), new Random(1));

        Assert.Equal(new RetryDecision(RetryAction.TryOther, TimeSpan.Zero), d);
    }

    [Fact]
    public void Decide_OnlyTheSameDeployment_RetrySameAfterJitteredBackoff()
    {
        var random = new Random(42);
        for (var retry = 0; retry < 2; retry++)
        {
            var d = Policy.Decide(AttemptFailure.FromStatus(500), State(retries: retry), random);

            Assert.Equal(RetryAction.RetrySame, d.Action);
            Assert.InRange(d.Delay, TimeSpan.Zero, TimeSpan.FromMilliseconds(100 << retry));
        }
    }

    [Fact]
    public void Backoff_ManyRetries_CappedAtMaxBackoff()
    {
        var random = new Random(9);
        var delays = Enumerable.Range(0, 1000).Select(_ => Policy.Backoff(20, random)).ToArray();

        Assert.All(delays, d => Assert.InRange(d, TimeSpan.Zero, TimeSpan.FromSeconds(5)));
        Assert.True(delays.Max() > TimeSpan.FromSeconds(4));
    }

    [Fact]
    public void Decide_RetryAfterFits_WaitsAtLeastThat()
    {
        var d = Policy.Decide(AttemptFailure.FromStatus(429, TimeSpan.FromSeconds(3)), State(next: true), new Random(1));

        Assert.Equal(new RetryDecision(RetryAction.RetrySame, TimeSpan.FromSeconds(3)), d);
    }

    [Fact]
    public void Decide_RetryAfterPastClientDeadline_MovesOnWithoutWaiting()
    {
        var d = Policy.Decide(AttemptFailure.FromStatus(429, TimeSpan.FromSeconds(30)), State(next: true, remainingS: 10), new Random(1));

        Assert.Equal(new RetryDecision(RetryAction.NextGroup, TimeSpan.Zero), d);
    }

    [Fact]
    public void Decide_RetryAfterPastClientDeadlineNothingLeft_GivesUp()
    {
        var d = Policy.Decide(AttemptFailure.FromStatus(429, TimeSpan.FromSeconds(30)), State(remainingS: 10), new Random(1));

        Assert.Equal(RetryAction.GiveUp, d.Action);
    }

    [Fact]
    public void Decide_RetryAfterLongerThanMaxBackoffWithAnotherGroup_MovesOn()
    {
        var d = Policy.Decide(AttemptFailure.FromStatus(429, TimeSpan.FromSeconds(20)), State(next: true, remainingS: 600), new Random(1));

        Assert.Equal(RetryAction.NextGroup, d.Action);
    }

    [Fact]
    public void Decide_RetryAfterLongerThanMaxBackoffNothingElse_WaitsWhenItFits()
    {
        var d = Policy.Decide(AttemptFailure.FromStatus(429, TimeSpan.FromSeconds(20)), State(remainingS: 600), new Random(1));

        Assert.Equal(new RetryDecision(RetryAction.RetrySame, TimeSpan.FromSeconds(20)), d);
    }

    [Fact]
    public void Decide_RetriesUsedUp_NextGroupOrGiveUp()
    {
        Assert.Equal(RetryAction.NextGroup, Policy.Decide(AttemptFailure.Timeout, State(retries: 2, other: true, next: true), new Random(1)).Action);
        Assert.Equal(RetryAction.GiveUp, Policy.Decide(AttemptFailure.Timeout, State(retries: 2, other: true), new Random(1)).Action);
    }

    [Fact]
    public void Decide_SameDeploymentCircuitOpen_NextGroup()
    {
        var state = new RetryState(0, false, null, true, false, TimeSpan.FromSeconds(60));

        Assert.Equal(RetryAction.NextGroup, Policy.Decide(AttemptFailure.Connect, state, new Random(1)).Action);
    }

    [Fact]
    public void Decide_SameDeploymentQuotaBlocked_WaitsForItsRoom()
    {
        var d = Policy.Decide(AttemptFailure.FromStatus(503), State(same: TimeSpan.FromSeconds(2)), new Random(1));

        Assert.Equal(new RetryDecision(RetryAction.RetrySame, TimeSpan.FromSeconds(2)), d);
    }
}
