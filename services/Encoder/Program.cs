using MS2GAN.Encoder;
using MS2GAN.ServiceDefaults;
using MS2GAN.ServiceDefaults.Pipeline;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults("encoder");
builder.Services.AddMs2GanStorage(builder.Configuration);
builder.Services.AddMs2GanModel(builder.Configuration);
builder.Services.AddEncoderService(builder.Configuration);
builder.Services.AddMs2GanMessaging(builder.Configuration, bus => bus.AddEncoderConsumers());

var app = builder.Build();
app.MapServiceDefaults();
app.Run();

