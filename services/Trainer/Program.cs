using MS2GAN.ServiceDefaults;
using MS2GAN.ServiceDefaults.Pipeline;
using MS2GAN.Trainer;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults("trainer");
builder.Services.AddMs2GanStorage(builder.Configuration);
builder.Services.AddMs2GanModel(builder.Configuration);
builder.Services.AddTrainerService(builder.Configuration);
builder.Services.AddMs2GanMessaging(builder.Configuration, bus => bus.AddTrainerConsumers());

var app = builder.Build();
app.MapServiceDefaults();
app.MapAdminEndpoints();
app.Run();
