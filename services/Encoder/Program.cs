using MS2GAN.Encoder;
using MS2GAN.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults("encoder");
builder.AddEncoderService();
builder.Services.AddMs2GanMessaging(builder.Configuration);

var app = builder.Build();
app.MapServiceDefaults();
app.Run();
