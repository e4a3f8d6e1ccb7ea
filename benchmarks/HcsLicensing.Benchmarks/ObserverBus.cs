using System.Text.Json.Serialization;
using HcsLicensing.Contracts.ClusterAssignments;
using HcsLicensing.Contracts.Jobs;
using HcsLicensing.TestBed;
using MassTransit;

namespace HcsLicensing.Benchmarks;

/// <summary>
/// The benchmark's own bus: a temporary queue of its own that timestamps each job's end (ClusterOperationCompleted) and
/// answer (ClusterAssignmentResp) on arrival, and with <c>steps</c> each step change too. Enums travel by name, as the
/// services send them.
/// </summary>
internal static class ObserverBus
{
    public static IBusControl Create(RabbitMqEndpoint broker, string queue, LoadObserver observer, bool steps = false) =>
        Bus.Factory.CreateUsingRabbitMq(rabbit =>
        {
            rabbit.Host(broker.AmqpUri);
            rabbit.ConfigureJsonSerializerOptions(json =>
            {
                if (!json.Converters.OfType<JsonStringEnumConverter>().Any())
                {
                    json.Converters.Add(new JsonStringEnumConverter());
                }

                return json;
            });
            rabbit.ReceiveEndpoint(queue, endpoint =>
            {
                endpoint.Durable = false;
                endpoint.AutoDelete = true;
                endpoint.PrefetchCount = 1000;
                endpoint.ConcurrentMessageLimit = 64;
                endpoint.Handler<ClusterOperationCompleted>(context =>
                {
                    observer.OnCompleted(context.Message);
                    return Task.CompletedTask;
                });
                endpoint.Handler<ClusterAssignmentResp>(context =>
                {
                    observer.OnAnswer(context.Message);
                    return Task.CompletedTask;
                });
                if (steps)
                {
                    endpoint.Handler<JobStepChanged>(context =>
                    {
                        observer.OnStep(context.Message);
                        return Task.CompletedTask;
                    });
                    // ClusterAssign sends a transition's several step changes as one JobProgressed.
                    endpoint.Handler<JobProgressed>(context =>
                    {
                        foreach (var step in context.Message.Steps)
                        {
                            observer.OnStep(step);
                        }

                        return Task.CompletedTask;
                    });
                }
            });
        });
}
