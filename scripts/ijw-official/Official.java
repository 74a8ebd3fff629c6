// Judges iJW 3.2 messages the official way, in one JVM: the XSD (the JDK's own validator, against src/ijw/xsd)
// and, for messages the XSD accepts, the official validation stylesheet (standards/ijw-3.2/xslt, the JDK's XSLT
// processor, as its Validate.java runs it). Used by src/ijw/official.ts for the differential test against Regiekamer.
// Usage: java -Djdk.xml.xpathExprOpLimit=0 -Djdk.xml.xpathTotalOpLimit=0 -Djdk.xml.xpathExprGrpLimit=0 \
//          Official.java STYLESHEET XSD_DIR < list of message files, one per line
// Prints one JSON line per file: {"file": ..., "xsd": true|false, "xsdError": "...", "report": "<report XML>"|null}
import javax.xml.XMLConstants;
import javax.xml.transform.*;
import javax.xml.transform.stream.*;
import javax.xml.validation.*;
import java.io.*;
import java.nio.charset.StandardCharsets;
import java.util.*;
import java.util.regex.*;

public class Official {
  public static void main(String[] args) throws Exception {
    Transformer t = TransformerFactory.newInstance().newTransformer(new StreamSource(new File(args[0])));
    File xsdDir = new File(args[1]);
    SchemaFactory sf = SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI);
    Map<String, Validator> validators = new HashMap<>();
    Pattern ns = Pattern.compile("xmlns(?::\\w+)?=\"http://www\\.istandaarden\\.nl/ijw/3_2/(jw\\d{3})/schema\"");
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, "UTF-8");
    String file;
    while ((file = in.readLine()) != null) {
      if (file.isBlank()) continue;
      StringBuilder sb = new StringBuilder("{\"file\": ").append(json(file));
      try {
        String text = new String(java.nio.file.Files.readAllBytes(new File(file).toPath()), StandardCharsets.UTF_8);
        Matcher m = ns.matcher(text);
        String xsdError = null;
        if (!m.find()) xsdError = "no iJW 3.2 message namespace";
        else {
          String type = m.group(1);
          Validator v = validators.get(type);
          if (v == null) {
            Schema s = sf.newSchema(new File(xsdDir, type + ".xsd"));
            v = s.newValidator();
            validators.put(type, v);
          }
          try {
            v.validate(new StreamSource(new StringReader(text)));
          } catch (org.xml.sax.SAXException e) {
            xsdError = e.getMessage();
          }
        }
        sb.append(", \"xsd\": ").append(xsdError == null);
        if (xsdError != null) sb.append(", \"xsdError\": ").append(json(xsdError));
        if (xsdError == null) {
          StringWriter w = new StringWriter();
          t.transform(new StreamSource(new StringReader(text)), new StreamResult(w));
          sb.append(", \"report\": ").append(json(w.toString()));
        }
      } catch (Exception e) {
        sb.append(", \"error\": ").append(json(String.valueOf(e)));
      }
      out.println(sb.append("}"));
    }
  }
  static String json(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      if (c == '"' || c == '\\') b.append('\\').append(c);
      else if (c == '\n') b.append("\\n");
      else if (c == '\r') b.append("\\r");
      else if (c == '\t') b.append("\\t");
      else if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
      else b.append(c);
    }
    return b.append('"').toString();
  }
}
