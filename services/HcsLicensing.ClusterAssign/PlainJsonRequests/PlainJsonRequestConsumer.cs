using HcsLicensing.ServiceDefaults.Messaging;
using MassTransit;

namespace HcsLicensing.ClusterAssign.PlainJsonRequests;

/// <summary>
/// Takes a request sent as plain JSON (no MassTransit envelope) to its own queue and hands it to the saga's queue as a
/// typed message, keeping the requester's RequestId and MT-Response-Address headers so the answer finds it. A body
/// that is not valid JSON for <typeparamref name="TRequest"/> (a required field missing) fails deserialization and
/// goes to the queue's _error queue with the reason.
/// </summary>
public sealed class PlainJsonRequestConsumer<TRequest>(EndpointAddresses addresses) : IConsumer<TRequest>
    where TRequest : class
{
    public async Task Consume(ConsumeContext<TRequest> context)
    {
        var saga = await context.GetSendEndpoint(addresses.Queue(ClusterAssignQueues.Operations));
        await saga.Send(context.Message, send =>
        {
            send.RequestId = context.RequestId;
            send.ResponseAddress = context.ResponseAddress;
            send.FaultAddress = context.FaultAddress ?? context.ResponseAddress;
        }, context.CancellationToken);
    }
}

/// <summary>
/// The plain JSON queue of one request type: plain JSON is read as <typeparamref name="TRequest"/> whatever headers it
/// has, and the queue is bound to no exchange, so typed requests published by .NET services reach only the saga.
/// </summary>
public sealed class PlainJsonRequestDefinition<TRequest> : ConsumerDefinition<PlainJsonRequestConsumer<TRequest>>
    where TRequest : class
{
    public PlainJsonRequestDefinition(EndpointAddresses addresses, PlainJsonQueue<TRequest> queue)
    {
        EndpointName = addresses.Name(queue.Name);
    }

    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<PlainJsonRequestConsumer<TRequest>> consumerConfigurator,
        IRegistrationContext context)
    {
        endpointConfigurator.ConfigureConsumeTopology = false;
        endpointConfigurator.UseRawJsonDeserializer(RawSerializerOptions.AnyMessageType | RawSerializerOptions.Default, isDefault: true);
    }
}

/// <summary>Which queue takes plain JSON <typeparamref name="TRequest"/>s.</summary>
public sealed record PlainJsonQueue<TRequest>(string Name);
