// protobuf-java's JsonFormat alone, as Druid's protobuf reader uses it: each JSON line is parsed into a
// DynamicMessage of the given type, then printed back with the default printer. The printed text is
// returned as a string, exactly as written (so 1.0 stays distinguishable from 1).
//
// Usage: java JsonFormatHarness <descriptor-set.binpb> <message full name> <samples.jsonl>
// Prints one JSON line per sample: {"printed": "<text>"} or {"error": "<exception>: <message>"}.

import com.google.gson.*;
import com.google.protobuf.*;
import com.google.protobuf.DescriptorProtos.*;
import com.google.protobuf.Descriptors.*;
import com.google.protobuf.util.JsonFormat;
import java.nio.file.*;

public class JsonFormatHarness {
  public static void main(String[] args) throws Exception {
    Descriptor message = DruidHarness.findMessage(FileDescriptorSet.parseFrom(Files.readAllBytes(Path.of(args[0]))), args[1]);
    Gson gson = new GsonBuilder().disableHtmlEscaping().create();
    StringBuilder out = new StringBuilder();
    for (String line : Files.readAllLines(Path.of(args[2]))) {
      JsonObject result = new JsonObject();
      try {
        DynamicMessage.Builder b = DynamicMessage.newBuilder(message);
        JsonFormat.parser().merge(line, b);
        result.addProperty("printed", JsonFormat.printer().print(b.build()));
      } catch (Exception e) {
        result.addProperty("error", e.getClass().getSimpleName() + ": " + e.getMessage());
      }
      out.append(gson.toJson(result)).append('\n');
    }
    System.out.print(out);
  }
}
