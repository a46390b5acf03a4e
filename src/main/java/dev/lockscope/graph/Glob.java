package dev.lockscope.graph;

/** Shell-style globs over lock-class names: {@code *} any run, {@code ?} one character; nothing else is special. */
public final class Glob {
    private Glob() {
    }

    public static boolean matches(String glob, String s) {
        int g = 0;
        int i = 0;
        int starG = -1;
        int starI = 0;
        while (i < s.length()) {
            if (g < glob.length() && (glob.charAt(g) == '?' || (glob.charAt(g) != '*' && glob.charAt(g) == s.charAt(i)))) {
                g++;
                i++;
            } else if (g < glob.length() && glob.charAt(g) == '*') {
                starG = g++;
                starI = i;
            } else if (starG >= 0) {
                g = starG + 1;
                i = ++starI;
            } else {
                return false;
            }
        }
        while (g < glob.length() && glob.charAt(g) == '*') {
            g++;
        }
        return g == glob.length();
    }
}
