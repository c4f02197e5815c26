using MS2GAN.Ingest;
using MS2GAN.ServiceDefaults;
using MS2GAN.ServiceDefaults.Pipeline;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults("ingest");
builder.Services.AddMs2GanStorage(builder.Configuration);
builder.Services.AddMs2GanMessaging(builder.Configuration, _ => { });
builder.Services.AddIngestService(builder.Configuration);

var app = builder.Build();
app.MapServiceDefaults();
app.MapIngestEndpoints();
app.Run();

