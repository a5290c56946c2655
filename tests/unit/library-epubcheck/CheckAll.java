import com.adobe.epubcheck.api.EpubCheck;
import com.adobe.epubcheck.util.DefaultReportImpl;
import java.io.File;

/**
 * Runs EPUBCheck (4.x checks one file per command) on every path given, in ONE JVM: starting
 * java once instead of once per book takes the demo books' check from minutes to seconds.
 * Prints one tab-separated line per file: RESULT, path, errors (incl. fatal), warnings.
 * Launched as a single-file source program: java -cp epubcheck.jar CheckAll.java a.epub b.epub
 */
public class CheckAll {
  public static void main(String[] args) {
    for (String p : args) {
      DefaultReportImpl r = new DefaultReportImpl(p);
      new EpubCheck(new File(p), r).validate();
      System.out.println("RESULT\t" + p + "\t" + (r.getErrorCount() + r.getFatalErrorCount()) + "\t" + r.getWarningCount());
    }
  }
}
