using System.Text.Json.Serialization;
using HcsLicensing.TestBed;
using MassTransit;

namespace HcsLicensing.Chpa.Tests.Support;

/// <summary>
/// Plays ClusterAssign: a bus of its own that sends CHPA's requests to its queue with MassTransit request clients and
/// waits for the typed answers.
/// </summary>
public sealed class Requester : IAsyncDisposable
{
    private readonly IBusControl _bus;
    private readonly Uri _chpa;

    private Requester(IBusControl bus, Uri chpa)
    {
        _bus = bus;
        _chpa = chpa;
    }

    public static async Task<Requester> StartAsync(TestServers servers, Uri chpaQueue)
    {
        var bus = Bus.Factory.CreateUsingRabbitMq(rabbit =>
        {
            rabbit.Host(servers.RabbitMq.AmqpUri);
            // Enums by name, as CHPA's bus sends them (the serializer options are process-wide, hence the guard).
            rabbit.ConfigureJsonSerializerOptions(json =>
            {
                if (!json.Converters.OfType<JsonStringEnumConverter>().Any())
                {
                    json.Converters.Add(new JsonStringEnumConverter());
                }

                return json;
            });
        });
        await bus.StartAsync();
        return new Requester(bus, chpaQueue);
    }

    /// <summary>Sends the request to CHPA and returns its answer (the test fails if none comes within <paramref name="timeout"/>).</summary>
    public async Task<TResponse> AskAsync<TRequest, TResponse>(TRequest request, TimeSpan? timeout = null)
        where TRequest : class
        where TResponse : class
    {
        var client = _bus.CreateRequestClient<TRequest>(_chpa, RequestTimeout.After(s: (int)(timeout ?? TimeSpan.FromSeconds(30)).TotalSeconds));
        var response = await client.GetResponse<TResponse>(request);
        return response.Message;
    }

    public async ValueTask DisposeAsync() => await _bus.StopAsync();
}
