package org.biotwin.ui.swt.internal;

import java.util.Arrays;
import java.util.function.Consumer;
import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.Font;
import org.eclipse.swt.graphics.FontData;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Text;

/**
 * The electronic-signature dialog (21 CFR 11.200(a): both components, user id and password, every time): title area
 * with the meaning and what is signed, user id, masked password, reason. "Sign" hands the entries to the signer off
 * the UI thread (password hashing takes a noticeable time by design); a refusal (wrong password, missing role,
 * locked account) is shown in the message area and the dialog stays open; success closes it. The password is held
 * as {@code char[]} only for the call and then cleared. Application-modal, not blocking: {@link #open()} returns at
 * once and the caller's event loop keeps running. UI thread only.
 * <p>
 * Plain SWT rather than JFace's {@code TitleAreaDialog}: JFace 3.38 cannot resolve in a Felix host
 * (its {@code org.eclipse.equinox.common} requires the bundle {@code org.eclipse.osgi}, i.e. Equinox), and the
 * panel must open in the Felix reference host too.
 */
public final class SignatureDialog {

    /** Performs the signature; throws with a message for the operator when refused. */
    @FunctionalInterface
    public interface Signer {
        /** @return a confirmation line for the status bar */
        String sign(String userId, char[] password, String reason) throws Exception;
    }

    private final Shell shell;
    private final Text user;
    private final Text password;
    private final Text reason;
    private final Label message;
    private final Button sign;
    private final Font titleFont;

    /**
     * @param meaning   the meaning as shown, for example "Accept advice (ACCEPTED_ADVICE)"
     * @param subject   what is signed, in words
     */
    public SignatureDialog(Shell parent, String meaning, String subject, Signer signer, Consumer<String> onSigned) {
        shell = new Shell(parent, SWT.DIALOG_TRIM | SWT.APPLICATION_MODAL | SWT.RESIZE);
        shell.setText("Electronic signature");
        shell.setLayout(new GridLayout(1, false));
        GridLayout gl = (GridLayout) shell.getLayout();
        gl.marginWidth = 0;
        gl.marginHeight = 0;
        Display d = shell.getDisplay();

        // Title area, as a TitleAreaDialog draws it.
        Composite title = new Composite(shell, SWT.NONE);
        title.setBackground(d.getSystemColor(SWT.COLOR_LIST_BACKGROUND));
        title.setLayoutData(new GridData(SWT.FILL, SWT.TOP, true, false));
        title.setLayout(new GridLayout(1, false));
        Label t = new Label(title, SWT.NONE);
        t.setBackground(title.getBackground());
        FontData fd = t.getFont().getFontData()[0];
        titleFont = new Font(d, fd.getName(), fd.getHeight(), SWT.BOLD);
        t.setFont(titleFont);
        t.setText(meaning);
        Label what = new Label(title, SWT.WRAP);
        what.setBackground(title.getBackground());
        what.setText(subject);
        GridData wg = new GridData(SWT.FILL, SWT.TOP, true, false);
        wg.widthHint = 480;
        what.setLayoutData(wg);
        // Status and refusals: two lines reserved, so a message never resizes the dialog.
        message = new Label(title, SWT.WRAP);
        message.setBackground(title.getBackground());
        message.setText("Enter your user ID and password: your signature is recorded in the batch record.");
        GridData mg = new GridData(SWT.FILL, SWT.TOP, true, false);
        mg.widthHint = 480;
        mg.heightHint = 2 * message.computeSize(SWT.DEFAULT, SWT.DEFAULT).y;
        message.setLayoutData(mg);
        new Label(shell, SWT.SEPARATOR | SWT.HORIZONTAL).setLayoutData(new GridData(SWT.FILL, SWT.TOP, true, false));

        Composite form = new Composite(shell, SWT.NONE);
        form.setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, true));
        form.setLayout(new GridLayout(2, false));
        label(form, "User ID:");
        user = new Text(form, SWT.BORDER | SWT.SINGLE);
        user.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
        label(form, "Password:");
        password = new Text(form, SWT.BORDER | SWT.SINGLE | SWT.PASSWORD);
        password.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
        label(form, "Meaning:");
        Label m = new Label(form, SWT.NONE);
        m.setText(meaning);
        Label r = label(form, "Reason:");
        r.setLayoutData(new GridData(SWT.LEFT, SWT.TOP, false, false));
        reason = new Text(form, SWT.BORDER | SWT.MULTI | SWT.WRAP | SWT.V_SCROLL);
        GridData rg = new GridData(SWT.FILL, SWT.FILL, true, true);
        rg.heightHint = 60;
        reason.setLayoutData(rg);

        Composite buttons = new Composite(shell, SWT.NONE);
        buttons.setLayoutData(new GridData(SWT.END, SWT.BOTTOM, false, false));
        buttons.setLayout(new GridLayout(2, true));
        sign = new Button(buttons, SWT.PUSH);
        sign.setText("Sign");
        sign.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
        Button cancel = new Button(buttons, SWT.PUSH);
        cancel.setText("Cancel");
        cancel.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
        shell.setDefaultButton(sign);

        user.addModifyListener(e -> validate());
        password.addModifyListener(e -> validate());
        reason.addModifyListener(e -> validate());
        cancel.addListener(SWT.Selection, e -> shell.close());
        sign.addListener(SWT.Selection, e -> submit(signer, onSigned));
        shell.addDisposeListener(e -> titleFont.dispose());
        validate();
        shell.pack();
        shell.setSize(Math.max(540, shell.getSize().x), shell.getSize().y);
        // Centre over the parent.
        var pb = parent.getBounds();
        shell.setLocation(pb.x + (pb.width - shell.getSize().x) / 2, pb.y + (pb.height - shell.getSize().y) / 3);
    }

    private static Label label(Composite c, String text) {
        Label l = new Label(c, SWT.NONE);
        l.setText(text);
        return l;
    }

    /** Shows the dialog and returns at once. */
    public void open() {
        shell.open();
        user.setFocus();
    }

    public Shell shell() {
        return shell;
    }

    /** Fills the fields as an operator would type them (also used by tests driving the dialog). */
    public void enter(String userId, String pw, String why) {
        user.setText(userId);
        password.setText(pw);
        reason.setText(why);
    }

    /** Presses "Sign", as the operator's click would. */
    public void pressSign() {
        sign.notifyListeners(SWT.Selection, new org.eclipse.swt.widgets.Event());
    }

    public String message() {
        return message.getText();
    }

    private void validate() {
        boolean ok = !user.getText().isBlank() && !password.getText().isEmpty() && !reason.getText().isBlank();
        sign.setEnabled(ok);
    }

    private void submit(Signer signer, Consumer<String> onSigned) {
        if (!sign.isEnabled()) {
            return;
        }
        String id = user.getText().trim();
        char[] pw = password.getText().toCharArray();
        password.setText(""); // never kept in the widget once used
        String why = reason.getText().trim();
        sign.setEnabled(false);
        message.setText("Signing as " + id + " …");
        message.setForeground(shell.getDisplay().getSystemColor(SWT.COLOR_BLACK));
        Display d = shell.getDisplay();
        Thread t = new Thread(() -> {
            String ok = null;
            String err;
            try {
                ok = signer.sign(id, pw, why);
                err = null;
            } catch (Exception ex) {
                err = ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage();
            } finally {
                Arrays.fill(pw, '\0');
            }
            String okF = ok;
            String errF = err;
            if (!d.isDisposed()) {
                d.asyncExec(() -> {
                    if (shell.isDisposed()) {
                        return;
                    }
                    if (errF == null) {
                        shell.close();
                        onSigned.accept(okF);
                    } else {
                        message.setText("Not signed: " + errF);
                        message.setForeground(d.getSystemColor(SWT.COLOR_DARK_RED));
                        shell.layout(true, true);
                        validate();
                        password.setFocus();
                    }
                });
            }
        }, "biotwin-ui-signature");
        t.setDaemon(true);
        t.start();
    }
}
