using HcsLicensing.ClusterAssign.Operations;
using HcsLicensing.Contracts.ClusterAssignments;
using HcsLicensing.Contracts.Jobs;
using HcsLicensing.Contracts.SmartAccounts;

namespace HcsLicensing.ClusterAssign.Tests.Operations;

/// <summary>A transition redelivered after a crash (row committed, messages not yet sent) sends its messages again.</summary>
public class TransitionReplayTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 15, 51, 33, TimeSpan.Zero);

    [Test]
    public void The_same_message_again_recalls_exactly_what_its_transition_sent()
    {
        var flow = new ClusterOperationFlow(new ClusterAssignOptions());
        var s = new ClusterOperationState { CorrelationId = ClusterKeys.ForCluster("cl1-alfa") };
        var request = StartOperation.From(new ClusterAssignmentRequest { RequestId = "r", ClusterName = "cl1-alfa", SmartAccountDomain = "d", VirtualAccountName = "HCS-DEMO" })
            with { ReplyAddress = new Uri("queue:sdrui") };
        var messageId = Guid.NewGuid();
        var sent = flow.Start(s, request, Now);
        TransitionReplay.Remember(s, messageId, sent);

        var recalled = TransitionReplay.Recall(s, messageId);
        var other = TransitionReplay.Recall(s, Guid.NewGuid());

        Assert.Multiple(() =>
        {
            Assert.That(recalled!.Select(o => (o.To, o.Message.GetType())), Is.EqualTo(sent.Select(o => (o.To, o.Message.GetType()))));
            Assert.That(recalled!.Select(o => o.Message).OfType<JobCreated>().Single(), Is.EqualTo(sent.Select(o => o.Message).OfType<JobCreated>().Single())
                .Using<JobCreated>((a, b) => a.JobId == b.JobId && a.Steps.SequenceEqual(b.Steps) && a.Description == b.Description));
            Assert.That(recalled!.Select(o => o.Message).OfType<GetRegistrationTokenRequest>().Single(), Is.EqualTo(sent.Select(o => o.Message).OfType<GetRegistrationTokenRequest>().Single()));
            Assert.That(other, Is.Null, "another message decides anew");
        });
    }
}
